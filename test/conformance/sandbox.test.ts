import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IO } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';
import { STATEFUL_HANDLERS } from '../../src/emulator/apis.js';
import { loadGeneratedCatalog } from '../../src/emulator/catalog.js';
import { DEFAULT_APP, startEmulator } from '../../src/emulator/index.js';
import type { Emulator } from '../../src/emulator/index.js';
import { Router } from '../../src/emulator/router.js';
import { loadSandbox } from '../../src/emulator/sandbox/index.js';
import type { SandboxIndex } from '../../src/emulator/sandbox/index.js';
import { callArgs, readReplayCases, rewrittenDates } from './sandbox-examples.js';
import type { ReplayCase } from './sandbox-examples.js';

/*
 * Conformance (design §4): every static sandbox example of the SP-API models is replayed through
 * `spapi call` (in-process, `main(argv, { io, env })`) against the emulator in models mode, and the
 * status and body must be the example's. `spapi call` validates against the catalog before it
 * sends anything, and some examples break those rules (Amazon's sandbox checks only the listed
 * values): those end in exit 2 and are counted under the reason of their first problem, from a
 * fixed list. spapi's validation is not loosened for them.
 */

const modelsDir = process.env['SPAPI_MODELS_DIR'] ?? fileURLToPath(new URL('../../../shared/sp-api-models', import.meta.url));
const modelsPresent = existsSync(modelsDir);
if (!modelsPresent) {
  console.warn(
    `\n*** SKIPPED sandbox conformance: no SP-API models at ${modelsDir}. ` +
      'Put a copy of amzn/selling-partner-api-models there (../shared/sp-api-models) or set SPAPI_MODELS_DIR. ***\n',
  );
}

/** The first validation problem of an unreplayable example, mapped to a reason. Anything else fails the suite. */
const NOT_REPLAYABLE: ReadonlyArray<readonly [RegExp, string]> = [
  [/^missing required (path|query|header) parameter /, 'omits a required parameter'],
  [/^missing required body/, 'omits the required body'],
  [/ is not allowed(?: \(did you mean [^)]*\))?; allowed: /, 'value outside the enum'],
  [/ is not an? (integer|number|boolean)/, 'value of the wrong type'],
  [/ is not an ISO 8601 date/, 'not an ISO 8601 date'],
  [/ is (below the minimum|above the maximum) /, 'value out of range'],
  [/: at most \d+ items, got \d+$/, 'too many items'],
  [/: a path parameter cannot be empty$/, 'empty path parameter'],
  [/: empty item in /, 'empty array item'],
  [/^unknown parameter /, 'parameter the model does not declare'],
  [/unknown marketplace "[^"]*"; did you mean /, 'a misspelt marketplace id (a near miss of a known one)'],
  [/ is in region \w+, not \w+: call with /, 'marketplaces of two regions in one call'],
];

/** Examples whose body does not fit the operation's own schema: `spapi call` refuses them before sending. */
const BODY_BREAKS_MODEL = 'a body that breaks its own model';

/** Examples spapi sends differently from how they are written, so a literal match cannot succeed. */
const REWRITTEN_DATE = 'a date or zone-less time (spapi sends date-times as UTC ISO 8601)';

/**
 * Examples whose operation has a stateful handler: the emulator answers them from its own state,
 * so the suite checks them one layer down: spapi's `--dry-run` request, fed to the sandbox index,
 * must pick the example.
 */
const STATEFUL = 'answered by a stateful handler (dry-run request matched by the sandbox index)';
/** Two examples listing the same values: Amazon's sandbox, like the emulator, answers the first. */
const SHADOWED = 'same request as an earlier example';

const BATCH = 6;
// Examples of one operation run one after another: the client adopts the emulator's (scaled) rate
// from the first answer's x-amzn-RateLimit-Limit, so only that first call uses the catalog plan.
const RATE_SCALE = 100_000;

interface Outcome {
  example: ReplayCase;
  kind: 'passed' | 'not-replayable' | 'stateful' | 'shadowed' | 'failed';
  reason?: string;
  /** Required parameters the example does not list, sent with placeholder values. */
  filled: string[];
  /** Sent with --no-validate: the example's body breaks the operation's schema. */
  unvalidated?: boolean;
}

interface Captured {
  exitCode: number;
  stdout: string;
  stderr: string[];
}

function memoryIO(): { io: IO; stdout: () => string; stderr: string[] } {
  let out = '';
  const stderr: string[] = [];
  const stdout = new PassThrough();
  stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  const io: IO = {
    stdoutIsTTY: false,
    stderrIsTTY: false,
    stdinIsTTY: false,
    color: false,
    width: undefined,
    out: (text) => {
      out += text;
    },
    err: (line) => void stderr.push(line),
    stdin: Readable.from([]),
    stdout,
    canPrompt: () => false,
    progress: async (text) => {
      stderr.push(text);
      return () => undefined;
    },
    status: async () => ({ update: () => undefined, stop: () => undefined }),
    bytes: () => ({ update: () => undefined, stop: () => undefined }),
  };
  return { io, stdout: () => out, stderr };
}

/** `HTTP <status>`, headers and the body from `spapi call --include` output. */
function parseIncluded(stdout: string): { status: number; headers: Record<string, string>; body: string } | undefined {
  const match = /^HTTP (\d{3})\n((?:[^\n]+\n)*)\n/.exec(stdout);
  if (!match) return undefined;
  const headers: Record<string, string> = {};
  for (const line of (match[2] ?? '').split('\n').filter(Boolean)) {
    const at = line.indexOf(': ');
    headers[line.slice(0, at).toLowerCase()] = line.slice(at + 2);
  }
  return { status: Number(match[1]), headers, body: stdout.slice(match[0].length) };
}

function firstProblem(stderr: string[]): string {
  const listed = stderr.find((line) => line.startsWith('  - '));
  if (listed) return listed.slice(4);
  // `spapi: usage: <operation>: <problem>`
  return (stderr[0] ?? '').replace(/^spapi: [^:]+: (?:[\w.-]+(?::[A-Z]+)?: )?/, '');
}

function sameJson(text: string, expected: unknown): boolean {
  try {
    expect(JSON.parse(text)).toStrictEqual(expected);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!modelsPresent)('static sandbox conformance through spapi call', () => {
  let emulator: Emulator;
  let configDir: string;
  const cases = modelsPresent ? readReplayCases(modelsDir) : [];

  beforeAll(async () => {
    configDir = mkdtempSync(join(tmpdir(), 'spapi-conformance-'));
    emulator = await startEmulator({ models: modelsDir, rateScale: RATE_SCALE });
  });
  afterAll(async () => {
    await emulator?.close();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  const env = (): Record<string, string> => ({
    HOME: configDir,
    NO_COLOR: '1',
    SPAPI_ENDPOINT: emulator.urls.spApi,
    SPAPI_LWA_ENDPOINT: emulator.urls.lwa,
    SPAPI_CLIENT_ID: DEFAULT_APP.clientId,
    SPAPI_CLIENT_SECRET: DEFAULT_APP.clientSecret,
    SPAPI_REFRESH_TOKEN: DEFAULT_APP.refreshTokens[0]?.token ?? '',
    SPAPI_SECRET_STORE: 'none',
    SPAPI_CONFIG_DIR: configDir,
    SPAPI_REGION: 'na',
  });

  const operations = loadGeneratedCatalog();
  const catalog = new Map<string, OperationSpec>(operations.map((op) => [`${op.model} ${op.method} ${op.path}`, op]));
  const router = new Router(operations);
  let index: SandboxIndex;
  beforeAll(() => {
    index = loadSandbox(modelsDir);
  });

  async function replay(example: ReplayCase, earlier: ReplayCase[]): Promise<Outcome> {
    const { io, stdout, stderr } = memoryIO();
    const spec = catalog.get(`${example.model} ${example.method} ${example.path}`);
    const { args, filled } = callArgs(example, spec);
    if (rewrittenDates(example, spec).length) return { example, kind: 'not-replayable', reason: REWRITTEN_DATE, filled };
    // One attempt: a 5xx or 429 example is the answer itself, not a reason to retry.
    const exitCode = await main(['--max-attempts', '1', ...args], { io, env: env() });
    let outcome = judge(example, { exitCode, stdout: stdout(), stderr }, earlier);
    // A body that breaks its own model (most are the 400 examples' deliberate mistakes): spapi refuses
    // it, as it must; sent anyway with --no-validate, the emulator must still answer the example.
    let sent = args;
    let unvalidated = false;
    if (outcome.reason === BODY_BREAKS_MODEL) {
      sent = [...args, '--no-validate'];
      unvalidated = true;
      const again = memoryIO();
      const code = await main(['--max-attempts', '1', ...sent], { io: again.io, env: env() });
      outcome = judge(example, { exitCode: code, stdout: again.stdout(), stderr: again.stderr }, earlier);
    }
    if (outcome.kind === 'stateful') return { ...(await matchDryRun(example, sent)), filled, unvalidated };
    return { ...outcome, filled, unvalidated };
  }

  /** For an operation the emulator answers from state: does the sandbox index pick this example for spapi's exact request? */
  async function matchDryRun(example: ReplayCase, args: string[]): Promise<Omit<Outcome, 'filled'>> {
    const { io, stdout, stderr } = memoryIO();
    const exitCode = await main([...args.filter((arg) => arg !== '--include'), '--dry-run'], { io, env: env() });
    // `METHOD URL`, `name: value` header lines, then a blank line and the body when there is one.
    const [head = '', body] = stdout().split('\n\n');
    const [requestLine = '', ...headerLines] = head.split('\n');
    const [method = '', urlText = ''] = requestLine.split(' ');
    if (exitCode !== 0 || !urlText) return { example, kind: 'failed', reason: `dry run: exit ${exitCode} ${stderr.join(' | ')}` };
    const url = new URL(urlText);
    const route = router.match(method, url.pathname);
    if (!route) return { example, kind: 'failed', reason: `dry run: ${method} ${url.pathname} routes nowhere` };
    const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 2)]));
    const reply = index.reply(route.op, { pathParams: route.pathParams, query: url.searchParams, headers, body: body?.trim() ? JSON.parse(body) : undefined });
    const expected = example.hasResponse && example.status !== 204 ? example.response : undefined;
    if (reply?.status === example.status && sameJson(JSON.stringify(reply.body ?? null), expected ?? null)) return { example, kind: 'stateful', reason: STATEFUL };
    return { example, kind: 'failed', reason: `dry-run request matched ${reply?.status ?? 'nothing'} ${JSON.stringify(reply?.body ?? null).slice(0, 200)}` };
  }

  function judge(example: ReplayCase, result: Captured, earlier: ReplayCase[]): Omit<Outcome, 'filled'> {
    if (result.exitCode === 2) {
      // spapi checks bodies against the model's schema; Amazon's sandbox matches listed values only.
      if (/^spapi: usage: the body of \S+ does not fit the model/.test(result.stderr[0] ?? '')) return { example, kind: 'not-replayable', reason: BODY_BREAKS_MODEL };
      const problem = firstProblem(result.stderr);
      const reason = NOT_REPLAYABLE.find(([pattern]) => pattern.test(problem))?.[1];
      return reason
        ? { example, kind: 'not-replayable', reason }
        : { example, kind: 'failed', reason: `exit 2 for a reason not on the list: ${result.stderr.join(' | ')}` };
    }
    if (STATEFUL_HANDLERS[`${example.model}.${example.operationId}`]) return { example, kind: 'stateful', reason: STATEFUL };

    let status: number;
    let body: string;
    let headers: Record<string, string> = {};
    if (result.exitCode === 4) {
      // A 429 that outlasted --max-attempts: spapi prints the body but no status line.
      status = 429;
      body = result.stdout;
    } else if (result.exitCode === 0 || result.exitCode === 1) {
      const included = parseIncluded(result.stdout);
      if (!included) return { example, kind: 'failed', reason: `no status line in ${JSON.stringify(result.stdout.slice(0, 200))}; stderr ${result.stderr.join(' | ')}` };
      ({ status, body, headers } = included);
      if (!headers['x-amzn-requestid'] || !headers['x-amzn-ratelimit-limit']) return { example, kind: 'failed', reason: `missing x-amzn-RequestId or x-amzn-RateLimit-Limit: ${JSON.stringify(headers)}` };
    } else {
      return { example, kind: 'failed', reason: `exit ${result.exitCode}: ${result.stderr.join(' | ')}` };
    }

    const answers = (candidate: ReplayCase): boolean =>
      status === candidate.status &&
      (candidate.hasResponse && candidate.status !== 204 ? sameJson(body, candidate.response) : body.trim() === '') &&
      Object.entries(candidate.responseHeaders).every(([name, value]) => headers[name.toLowerCase()] === value);
    if (answers(example)) return { example, kind: 'passed' };
    const twin = earlier.find((other) => other.requestKey === example.requestKey);
    if (twin && answers(twin)) return { example, kind: 'shadowed', reason: `${SHADOWED} (${twin.id})` };
    return { example, kind: 'failed', reason: `got ${status} ${body.slice(0, 300)}; stderr ${result.stderr.join(' | ')}` };
  }

  it('finds the same examples as the emulator indexes', () => {
    const counts = loadSandbox(modelsDir).counts();
    const staticCount = cases.filter((c) => c.source === 'static').length;
    const legacyCount = cases.length - staticCount;
    console.log(`conformance: ${cases.length} sandbox examples in ${modelsDir} (${staticCount} x-amzn-api-sandbox static, ${legacyCount} legacy x-amazon-spds-sandbox-behaviors)`);
    expect(cases.length).toBeGreaterThan(0);
    expect({ staticCount, legacyCount }).toEqual({ staticCount: counts.staticExamples, legacyCount: counts.legacyExamples });
  });

  it('replays every example through spapi call and gets its status and body', async () => {
    const byOperation = new Map<string, ReplayCase[]>();
    for (const example of cases) {
      const key = `${example.model} ${example.method} ${example.path}`;
      byOperation.set(key, [...(byOperation.get(key) ?? []), example]);
    }
    const groups = [...byOperation.values()];
    const outcomes: Outcome[] = [];
    const worker = async (): Promise<void> => {
      for (let group = groups.shift(); group; group = groups.shift()) {
        for (const [i, example] of group.entries()) outcomes.push(await replay(example, group.slice(0, i)));
      }
    };
    await Promise.all(Array.from({ length: BATCH }, worker));

    const count = (kind: Outcome['kind']): number => outcomes.filter((o) => o.kind === kind).length;
    const reasons = new Map<string, number>();
    for (const outcome of outcomes) {
      if (outcome.kind !== 'not-replayable') continue;
      reasons.set(outcome.reason ?? '', (reasons.get(outcome.reason ?? '') ?? 0) + 1);
    }
    const reasonList = [...reasons].sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${reason}: ${n}`).join(', ');
    const failed = outcomes.filter((o) => o.kind === 'failed');
    const placeholders = outcomes.filter((o) => o.kind === 'passed' && o.filled.length > 0).length;
    const unvalidated = outcomes.filter((o) => o.unvalidated).length;
    console.log(
      `\nconformance: ${count('passed')}/${outcomes.length} replayed (${placeholders} with placeholders for required parameters the example does not list; ` +
        `${unvalidated} examples have a body that breaks its own model: spapi call refuses it, and they are sent with --no-validate), ` +
        `${count('not-replayable')} not replayable (${reasonList}), ` +
        `${count('stateful')} ${STATEFUL}, ${count('shadowed')} ${SHADOWED}, ${failed.length} failed\n`,
    );
    for (const outcome of failed) console.log(`  FAILED ${outcome.example.id}: ${outcome.reason ?? ''}`);
    expect(outcomes.length).toBe(cases.length);
    expect(failed.map((o) => `${o.example.id}: ${o.reason ?? ''}`)).toEqual([]);
  }, 120_000);
});
