/**
 * The bucket arithmetic of bucket.ts as one Lua script, run atomically by Redis. ARGV[1] is the
 * operation, ARGV[2] the time (empty in production: the server's TIME, so machines with skewed
 * clocks agree; the differential test passes a virtual time). Numbers travel as %.17g strings both
 * ways: tostring() keeps 14 digits and integer replies truncate. A missing key is a fresh bucket
 * built from the plan the reserve carries, never an error (restarts and evictions lose keys).
 * Replies: reserve → {wait, shift, rate, burst}; wake → {extra, shift}; others → {}.
 */
export const BUCKET_SCRIPT = `
local key = KEYS[1]
local op = ARGV[1]
local now
if ARGV[2] ~= '' then
  now = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
end
local function f(x) return string.format('%.17g', x) end
local function slot(rate)
  local exact = 1000 / rate
  return exact + math.max(exact * 0.01, 1)
end
local function load()
  local v = redis.call('HMGET', key, 'rate', 'burst', 'tokens', 'at', 'shift', 'drained')
  local s = { rate = tonumber(v[1]), burst = tonumber(v[2]), tokens = tonumber(v[3]), at = tonumber(v[4]),
    shift = tonumber(v[5]), drained = tonumber(v[6]) }
  if not (s.rate and s.rate > 0 and s.burst and s.burst >= 1 and s.tokens and s.tokens <= s.burst and s.at
    and s.shift and s.shift >= 0 and s.drained) then return nil end
  return s
end
local function refill(s)
  s.tokens = math.min(s.burst, s.tokens + math.max(0, now - s.at) / slot(s.rate))
  s.at = math.max(now, s.at)
end
local function save(s)
  redis.call('HSET', key, 'rate', f(s.rate), 'burst', f(s.burst), 'tokens', f(s.tokens), 'at', f(s.at),
    'shift', f(s.shift), 'drained', f(s.drained))
  -- Idle buckets expire a day after their last queued slot, never before it.
  local queued = math.max(0, -s.tokens) * slot(s.rate) + math.max(0, s.at - now)
  redis.call('PEXPIRE', key, math.ceil(queued + 86400000))
end

if op == 'reserve' then
  local rate, burst, lag = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
  local s = load()
  if s then
    refill(s)
  else
    s = { rate = rate, burst = burst, tokens = burst, at = now, shift = 0, drained = 0 }
    -- Who the bucket is for, for spapi quota: the key is hashed from them, so they never change.
    redis.call('HSET', key, 'op', ARGV[6], 'sp', ARGV[7])
  end
  if s.tokens >= s.burst and lag > 0 then s.at = now + lag end
  s.tokens = s.tokens - 1
  local wait = 0
  if s.tokens < 0 then wait = math.max(0, s.at - now) + (-s.tokens) * slot(s.rate) + 10 end
  save(s)
  return { f(wait), f(s.shift), f(s.rate), f(s.burst) }
end

local s = load()
if op == 'wake' then
  local seen, lateBy = tonumber(ARGV[3]), tonumber(ARGV[4])
  if not s or s.shift < seen then return { f(0), f(seen) } end
  if s.shift > seen then return { f(s.shift - seen), f(s.shift) } end
  local interval = slot(s.rate)
  local excess = lateBy - (s.burst - 1) * interval
  if not (excess > 0) then return { f(0), f(s.shift) } end
  local uncapped = s.tokens + math.max(0, now - s.at) / interval
  s.tokens = math.min(s.burst - 1, uncapped - excess / interval)
  s.at = now
  s.shift = s.shift + excess
  save(s)
  return { f(0), f(s.shift) }
end
if op == 'merge' then
  -- Back from an outage: the queue this machine built locally is added to the shared one.
  local backlog = tonumber(ARGV[3])
  if not s then
    s = { rate = tonumber(ARGV[4]), burst = tonumber(ARGV[5]), tokens = tonumber(ARGV[5]), at = now, shift = 0, drained = 0 }
  else
    refill(s)
  end
  s.tokens = math.min(s.tokens, -backlog / slot(s.rate))
  save(s)
  redis.call('HSET', key, 'op', ARGV[6], 'sp', ARGV[7])
  return {}
end
if not s then return {} end
if op == 'release' then
  refill(s)
  s.tokens = math.min(s.burst, s.tokens + 1)
  save(s)
elseif op == 'adopt' then
  local rate = tonumber(ARGV[3])
  if not rate or rate <= 0 or math.abs(rate - s.rate) <= s.rate * 1e-9 then return {} end
  refill(s)
  if rate < s.rate and s.tokens < 0 then s.shift = s.shift + (-s.tokens) * (slot(rate) - slot(s.rate)) end
  s.rate = rate
  s.tokens = math.min(s.tokens, s.burst)
  save(s)
  redis.call('HSET', key, 'learned', '1')
elseif op == 'drain' then
  refill(s)
  local interval = slot(s.rate)
  if s.tokens < 0 and now - s.drained >= interval then
    s.tokens = s.tokens - 1
    s.shift = s.shift + interval
    s.drained = now
  else
    s.tokens = math.min(s.tokens, 0)
  end
  save(s)
  redis.call('HSET', key, 'last429', f(now))
end
return {}
`;

/** The namespace of every key; the version lets a later layout live beside this one. */
export const KEY_PREFIX = 'spapi:rl:1:';

/** One key per bucket, its id as the hash tag so a cluster spreads buckets and never sees two keys in one script. */
export function redisKey(bucketId: string): string {
  return `${KEY_PREFIX}{${bucketId}}`;
}
