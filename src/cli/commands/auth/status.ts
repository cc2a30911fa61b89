import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SecretKind } from '../../../core/auth/secret-store.js';
import { AuthError, SpapiError } from '../../../core/errors.js';
import type { ProfileSettings } from '../../../core/settings.js';
import type { Factory } from '../../factory.js';
import { pickFormat, render } from '../../output.js';
import type { CommandContext } from '../../program.js';
import { userAgent } from '../../version.js';
import { envVariableFor } from '../../../core/auth/credentials.js';
import { SECRET_KINDS, unknownProfile } from './shared.js';

/** Amazon requires a new client secret every 180 days (spapi-facts §3.2). */
export const ROTATION_DAYS = 180;
/** `auth status` warns this many days before the deadline (issue #4). */
export const WARN_DAYS = 30;
const DAY_MS = 86_400_000;

export interface StatusFlags {
  offline?: boolean;
}

/** Where one secret of a profile lives. Values never appear here: only a masked hint. */
export interface SecretLocation {
  /** env: a variable provides it (env wins); keychain/file: the store; missing; unreadable: the store failed. */
  source: 'env' | 'keychain' | 'file' | 'missing' | 'unreadable';
  /** `SPAPI_CLIENT_SECRET`, `OS keychain, service "spapi", account "default:client_secret"`, a file path. */
  where?: string;
  /** First characters and an ellipsis, e.g. `Atzr…`. */
  masked?: string;
  /** A stored copy the environment variable overrides (where it is). */
  overrides?: string;
  /** Why the store could not be read. */
  error?: string;
}

export interface TokenCheck {
  state: 'ok' | 'failed' | 'skipped';
  /** LWA's error code (invalid_grant, invalid_client), `network`, or why the check was skipped. */
  code?: string;
  message?: string;
}

export interface Rotation {
  state: 'ok' | 'warn' | 'overdue' | 'unknown';
  /** When spapi recorded the secret (login, add), ISO. */
  setAt?: string;
  /** setAt + 180 days, ISO. */
  dueAt?: string;
  /** Whole days until dueAt; negative when overdue. */
  daysLeft?: number;
  /** Why the state is unknown. */
  note?: string;
}

export interface ProfileStatus {
  name: string;
  current: boolean;
  /** False for credentials that come only from the environment (no saved profile). */
  saved: boolean;
  clientId?: string;
  /** flag, env <VAR> or profile. */
  clientIdSource?: string;
  appId?: string;
  region?: string;
  marketplace?: string;
  sellingPartnerId?: string;
  store: 'keychain' | 'file' | 'none';
  /** Secrets sit in the explicit plain-file store (or its permissions are too open). */
  insecure: boolean;
  /** Problems with the file store's permissions (expected: 0600 file in a 0700 directory). */
  permissionProblems?: string[];
  secrets: Record<SecretKind, SecretLocation>;
  tokenRefresh: TokenCheck;
  clientSecretRotation: Rotation;
}

export interface StatusReport {
  configDir: string;
  currentProfile: string;
  profiles: ProfileStatus[];
}

/**
 * At most the first four characters, so a user can tell two secrets apart; short values show
 * nothing at all (four characters of a 10-character secret would be too much of it).
 */
export function maskSecret(value: string): string {
  return value.length >= 16 ? `${value.slice(0, 4)}…` : '…';
}

/** Days until the client secret must be rotated: 180 days from when it was set; warning under 30. */
export function rotationOf(setAt: string | undefined, now: Date): Rotation {
  if (!setAt) return { state: 'unknown', note: 'spapi has no record of when this client secret was set' };
  const set = Date.parse(setAt);
  if (Number.isNaN(set)) return { state: 'unknown', note: `the recorded date ${setAt} is not a date` };
  const due = set + ROTATION_DAYS * DAY_MS;
  // Started days count: due in 19.9 days is 20 days left; `|| 0` turns -0 into 0.
  const daysLeft = Math.ceil((due - now.getTime()) / DAY_MS) || 0;
  const state = due <= now.getTime() ? 'overdue' : due - now.getTime() < WARN_DAYS * DAY_MS ? 'warn' : 'ok';
  return { state, setAt: new Date(set).toISOString(), dueAt: new Date(due).toISOString(), daysLeft };
}

const KIND_LABEL: Record<SecretKind, string> = { client_secret: 'client secret', refresh_token: 'refresh token' };

function day(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : '?';
}

function describeSecret(location: SecretLocation): string {
  switch (location.source) {
    case 'env':
      return `env ${location.where ?? ''}  ${location.masked ?? ''}${location.overrides ? `  (overrides the stored one in ${location.overrides})` : ''}`;
    case 'keychain':
      return `${location.where ?? 'OS keychain'}  ${location.masked ?? ''}`;
    case 'file':
      return `file ${location.where ?? ''}  ${location.masked ?? ''}  INSECURE: a plain file, not the OS keychain`;
    case 'missing':
      return `missing${location.where ? ` (not in ${location.where})` : ''}`;
    case 'unreadable':
      return `unreadable: ${location.error ?? 'the store failed'}`;
  }
}

function describeCheck(check: TokenCheck): string {
  if (check.state === 'ok') return 'ok (Login with Amazon issued an access token)';
  if (check.state === 'skipped') return `not checked (${check.code ?? 'skipped'})`;
  return `FAILED: ${check.code ?? 'error'}${check.message ? ` — ${check.message}` : ''}`;
}

function describeRotation(rotation: Rotation): string {
  switch (rotation.state) {
    case 'unknown':
      return `unknown (${rotation.note ?? 'no date'}); Amazon requires a new one every ${ROTATION_DAYS} days`;
    case 'overdue':
      return `OVERDUE since ${day(rotation.dueAt)} (set ${day(rotation.setAt)}): rotate it now with \`spapi auth rotate-secret\``;
    case 'warn':
      return `${rotation.daysLeft ?? '?'} days left (due ${day(rotation.dueAt)}, set ${day(rotation.setAt)}): rotate soon with \`spapi auth rotate-secret\``;
    case 'ok':
      return `${rotation.daysLeft ?? '?'} days left (due ${day(rotation.dueAt)}, set ${day(rotation.setAt)})`;
  }
}

/** The human form of the report (a terminal): one block per profile. */
export function formatStatus(report: StatusReport): string {
  const blocks = report.profiles.map((p) => {
    const rows: Array<[string, string]> = [
      ['client id', p.clientId ? `${p.clientId}${p.clientIdSource ? `  (${p.clientIdSource})` : ''}` : 'missing'],
      ['app id', p.appId ?? '-'],
      ['region', `${p.region ?? '-'}${p.marketplace ? `, marketplace ${p.marketplace}` : ''}`],
      ['selling partner', p.sellingPartnerId ?? '-'],
      ...SECRET_KINDS.map((kind): [string, string] => [KIND_LABEL[kind], describeSecret(p.secrets[kind])]),
      ...(p.permissionProblems?.length ? [['permissions', p.permissionProblems.join('; ')] as [string, string]] : []),
      ['token refresh', describeCheck(p.tokenRefresh)],
      ['secret rotation', describeRotation(p.clientSecretRotation)],
    ];
    const title = `${p.name}${p.current ? ' (current)' : ''}${p.saved ? '' : ' (not saved: environment only)'}`;
    return [title, ...rows.map(([label, value]) => `  ${label.padEnd(16)}${value}`)].join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

/** The stderr lines that must not be missed: rotation due or overdue, the plain-file store, a failed refresh. */
export function statusWarnings(report: StatusReport): string[] {
  const lines: string[] = [];
  for (const p of report.profiles) {
    const r = p.clientSecretRotation;
    if (r.state === 'overdue') {
      lines.push(`error: profile ${p.name}: the client secret was due for rotation on ${day(r.dueAt)} (${-(r.daysLeft ?? 0)} days ago); SP-API calls fail once Amazon retires it: run \`spapi auth rotate-secret\``);
    } else if (r.state === 'warn') {
      lines.push(`warning: profile ${p.name}: the client secret must be rotated within ${r.daysLeft ?? '?'} days (by ${day(r.dueAt)}): run \`spapi auth rotate-secret\``);
    }
    if (p.insecure) {
      const file = SECRET_KINDS.map((k) => p.secrets[k]).find((s) => s.source === 'file')?.where;
      lines.push(`warning: profile ${p.name} keeps secrets in a plain file${file ? ` (${file})` : ''}, not the OS keychain${p.permissionProblems?.length ? `, and ${p.permissionProblems.join('; ')}` : ''}`);
    }
    if (p.tokenRefresh.state === 'failed') lines.push(`error: profile ${p.name}: token refresh failed: ${p.tokenRefresh.code ?? 'error'}`);
    for (const kind of SECRET_KINDS) {
      if (p.secrets[kind].source === 'unreadable') lines.push(`error: profile ${p.name}: the ${KIND_LABEL[kind]} could not be read: ${p.secrets[kind].error ?? ''}`);
    }
  }
  return lines;
}

/** The file store must be a 0600 file in a 0700 directory (design §2); anything looser is reported. */
function filePermissionProblems(file: string): string[] {
  if (process.platform === 'win32') return [];
  const problems: string[] = [];
  try {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) problems.push(`${file} has mode ${mode.toString(8).padStart(4, '0')}, not 0600`);
    const dirMode = statSync(dirname(file)).mode & 0o777;
    if (dirMode & 0o077) problems.push(`${dirname(file)} has mode ${dirMode.toString(8).padStart(4, '0')}, not 0700`);
  } catch {
    // No file: nothing stored there, nothing to report.
  }
  return problems;
}

/** LWA's error code from an AuthError message ("… refused the token request: invalid_grant (…)"). */
function lwaCode(error: unknown): { code: string; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const match = /refused the token request: (\S+?)(?: \((.*)\))?$/.exec(message);
  if (match) return { code: match[1] ?? 'error', message: match[2] ?? message };
  return { code: error instanceof SpapiError ? error.kind : 'error', message };
}

interface Gathered {
  status: ProfileStatus;
  values: Partial<Record<SecretKind, string>>;
}

/** One profile's status; the secret values stay in `values` (for the refresh check), never in `status`. */
async function gatherProfile(factory: Factory, name: string, profile: ProfileSettings | undefined, current: boolean, now: Date): Promise<Gathered> {
  const { env } = factory;
  const store = await factory.secretStoreOf(profile);
  const values: Partial<Record<SecretKind, string>> = {};
  const stored: Partial<Record<SecretKind, string>> = {};
  const secrets = {} as Record<SecretKind, SecretLocation>;
  const storeWhere = (kind: SecretKind): string =>
    store.kind === 'keychain' ? `OS keychain, service "spapi", account "${name}:${kind}"` : store.location;
  for (const kind of SECRET_KINDS) {
    let storedValue: string | undefined;
    let storeError: string | undefined;
    try {
      storedValue = store.kind === 'none' ? undefined : await store.get(name, kind);
    } catch (error) {
      storeError = (error as Error).message;
    }
    if (storedValue) stored[kind] = storedValue;
    const variable = envVariableFor(env, kind === 'client_secret' ? 'clientSecret' : 'refreshToken');
    const envValue = variable ? env[variable] : undefined;
    if (variable && envValue) {
      values[kind] = envValue;
      secrets[kind] = { source: 'env', where: variable, masked: maskSecret(envValue), ...(storedValue ? { overrides: storeWhere(kind) } : {}) };
    } else if (storedValue) {
      values[kind] = storedValue;
      secrets[kind] = { source: store.kind === 'file' ? 'file' : 'keychain', where: storeWhere(kind), masked: maskSecret(storedValue) };
    } else if (storeError) {
      secrets[kind] = { source: 'unreadable', where: storeWhere(kind), error: storeError };
    } else {
      secrets[kind] = { source: 'missing', ...(store.kind === 'none' ? {} : { where: storeWhere(kind) }) };
    }
  }

  const clientIdVariable = envVariableFor(env, 'clientId');
  const [clientId, clientIdSource] = factory.globals.clientId
    ? [factory.globals.clientId, 'flag --client-id']
    : clientIdVariable
      ? [env[clientIdVariable], `env ${clientIdVariable}`]
      : [profile?.clientId, profile?.clientId ? 'profile' : undefined];

  // The recorded date belongs to the stored secret; an env secret that differs from it has no known age.
  let rotation: Rotation;
  const envSecret = secrets.client_secret.source === 'env';
  if (envSecret && !stored.client_secret) rotation = { state: 'unknown', note: 'the secret comes from the environment and spapi never stored it' };
  else if (envSecret && stored.client_secret !== values.client_secret) rotation = { state: 'unknown', note: `the secret in ${secrets.client_secret.where ?? 'the environment'} differs from the stored one, whose date spapi knows` };
  else if (!values.client_secret) rotation = { state: 'unknown', note: 'no client secret' };
  else rotation = rotationOf(profile?.clientSecretSetAt, now);

  const fileUsed = SECRET_KINDS.some((kind) => secrets[kind].source === 'file');
  const permissionProblems = store.kind === 'file' ? filePermissionProblems(store.location) : [];
  const status: ProfileStatus = {
    name,
    current,
    saved: profile !== undefined,
    ...(clientId ? { clientId, ...(clientIdSource ? { clientIdSource } : {}) } : {}),
    ...(profile?.appId ? { appId: profile.appId } : env['SPAPI_APP_ID'] ? { appId: env['SPAPI_APP_ID'] } : {}),
    ...(factory.globals.region ?? env['SPAPI_REGION'] ?? profile?.region ? { region: factory.globals.region ?? env['SPAPI_REGION'] ?? profile?.region } : {}),
    ...(profile?.marketplace ? { marketplace: profile.marketplace } : {}),
    ...(profile?.sellingPartnerId ? { sellingPartnerId: profile.sellingPartnerId } : {}),
    store: store.kind,
    insecure: fileUsed || permissionProblems.length > 0,
    ...(permissionProblems.length ? { permissionProblems } : {}),
    secrets,
    tokenRefresh: { state: 'skipped', code: 'not run' },
    clientSecretRotation: rotation,
  };
  return { status, values };
}

/** One refresh_token grant with exactly this profile's credentials, bypassing the token cache. */
async function checkRefresh(factory: Factory, clientId: string | undefined, values: Partial<Record<SecretKind, string>>): Promise<TokenCheck> {
  if (!clientId) return { state: 'skipped', code: 'no client id' };
  if (!values.client_secret) return { state: 'skipped', code: 'no client secret' };
  if (!values.refresh_token) return { state: 'skipped', code: 'no refresh token: grantless calls only' };
  const [{ LwaClient }, { MemoryTokenCache }, { createAgent }] = await Promise.all([
    import('../../../core/auth/lwa.js'),
    import('../../../core/auth/token-cache.js'),
    import('../../../core/http/transport.js'),
  ]);
  const tokenUrl = factory.lwaTokenUrl();
  const agent = createAgent();
  try {
    const lwa = new LwaClient({
      ...(tokenUrl ? { tokenUrl } : {}),
      dispatcher: agent,
      cache: new MemoryTokenCache(),
      userAgent: userAgent(),
      ...(factory.debug ? { onRequest: (grant: string) => factory.io.err(`debug: LWA token request (${grant}) for the refresh check`) } : {}),
    });
    await lwa.accessToken(clientId, values.client_secret, values.refresh_token);
    return { state: 'ok' };
  } catch (error) {
    const { code, message } = lwaCode(error);
    return { state: 'failed', code, message };
  } finally {
    await agent.close();
  }
}

/** Builds the report: the selected profile (--profile, SPAPI_PROFILE) or every saved one. */
export async function gatherStatus(factory: Factory, options: StatusFlags, now = new Date()): Promise<StatusReport> {
  const settings = await factory.settings();
  const saved = settings.profileNames();
  const currentName = await factory.profileName();
  const selected = factory.globals.profile ?? factory.env['SPAPI_PROFILE'];
  const envHasCredentials = (['clientId', 'clientSecret', 'refreshToken'] as const).some((name) => envVariableFor(factory.env, name));
  let names: string[];
  if (selected) {
    if (!saved.includes(selected) && !envHasCredentials) {
      const usage = unknownProfile(selected, saved);
      throw new AuthError(`not logged in: ${usage.message}`, { hint: usage.hint ?? 'run `spapi auth login` or `spapi auth add`' });
    }
    names = [selected];
  } else if (saved.length) {
    names = saved.includes(currentName) || !envHasCredentials ? saved : [...saved, currentName];
  } else if (envHasCredentials) {
    names = [currentName];
  } else {
    throw new AuthError(`not logged in: no profile in ${settings.path} and no credentials in the environment`, {
      hint: 'run `spapi auth login` (consent page) or `spapi auth add --refresh-token-stdin` (self-authorized app), or set SPAPI_CLIENT_ID, SPAPI_CLIENT_SECRET and SPAPI_REFRESH_TOKEN',
    });
  }
  const profiles: ProfileStatus[] = [];
  for (const name of names) {
    const { status, values } = await gatherProfile(factory, name, settings.profile(name), name === currentName, now);
    status.tokenRefresh = options.offline ? { state: 'skipped', code: '--offline' } : await checkRefresh(factory, status.clientId, values);
    profiles.push(status);
  }
  return { configDir: factory.configDir(), currentProfile: currentName, profiles };
}

/**
 * `spapi auth status`: where every secret of each profile lives (env, keychain, file), masked,
 * whether a token refresh works and how long until the client secret must be rotated. It reports
 * failed checks and exits 0; it exits 3 only when there is nothing at all to report.
 */
export async function run({ factory }: CommandContext, _args: unknown[], flags: Record<string, unknown>): Promise<void> {
  const report = await gatherStatus(factory, flags as StatusFlags);
  const format = pickFormat(factory.globals.output, factory.io);
  for (const line of statusWarnings(report)) factory.io.err(line);
  if (format === 'table') {
    factory.io.out(formatStatus(report));
    return;
  }
  await render(factory.io, format, report, report.profiles, [
    { header: 'profile', path: 'name' },
    { header: 'current', path: 'current' },
    { header: 'client id', path: 'clientId' },
    { header: 'app id', path: 'appId' },
    { header: 'region', path: 'region' },
    { header: 'client secret', path: 'secrets.client_secret.source' },
    { header: 'client secret at', path: 'secrets.client_secret.where' },
    { header: 'refresh token', path: 'secrets.refresh_token.source' },
    { header: 'refresh token at', path: 'secrets.refresh_token.where' },
    { header: 'token refresh', path: 'tokenRefresh.state' },
    { header: 'rotation', path: 'clientSecretRotation.state' },
    { header: 'days left', path: 'clientSecretRotation.daysLeft' },
  ]);
}
