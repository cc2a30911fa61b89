import type { LwaResponseSeen } from '../../../core/auth/lwa.js';
import type { SecretKind } from '../../../core/auth/secret-store.js';
import { clientIdOf, envVariableFor } from '../../../core/auth/credentials.js';
import { rotationOf, type Rotation } from '../../../core/auth/rotation.js';
import { AuthError, SpapiError } from '../../../core/errors.js';
import { maskSecret } from '../../../core/http/redact.js';
import { findMarketplace, regionInputs } from '../../../core/regions.js';
import { secretFilePermissionProblems } from '../../../core/secret-file-permissions.js';
import type { ProfileSettings } from '../../../core/settings.js';
import type { Factory } from '../../factory.js';
import { SECRET_KINDS, unknownProfile } from './shared.js';

export type { Rotation };

export interface StatusOptions {
  offline?: boolean | undefined;
  /** Told of each answer of the token endpoint during the refresh checks (`spapi doctor` reads its Date). */
  onLwaResponse?: ((profile: string, response: LwaResponseSeen) => void) | undefined;
  /** The store line when the caller has judged the setting already (doctor reports a malformed one as a check). */
  rateLimitStore?: string | undefined;
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
  /** Where the rate-limit buckets live (this machine's files, or a Redis shared by a fleet). */
  rateLimitStore: string;
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

  const found = clientIdOf({ flags: { clientId: factory.globals.clientId }, env, profileClientId: profile?.clientId });
  const [clientId, clientIdSource] = found ? [found[0], found[1] === 'flag' ? 'flag --client-id' : found[1]] : [undefined, undefined];
  const region = regionOf(factory, profile);

  // The recorded date belongs to the stored secret; an env secret that differs from it has no known age.
  let rotation: Rotation;
  const envSecret = secrets.client_secret.source === 'env';
  if (envSecret && !stored.client_secret) rotation = { state: 'unknown', note: 'the secret comes from the environment and spapi never stored it' };
  else if (envSecret && stored.client_secret !== values.client_secret) rotation = { state: 'unknown', note: `the secret in ${secrets.client_secret.where ?? 'the environment'} differs from the stored one, whose date spapi knows` };
  else if (!values.client_secret) rotation = { state: 'unknown', note: 'no client secret' };
  else rotation = rotationOf(profile?.clientSecretSetAt, now);

  const fileUsed = SECRET_KINDS.some((kind) => secrets[kind].source === 'file');
  const permissionProblems = store.kind === 'file' ? secretFilePermissionProblems(store.location) : [];
  const status: ProfileStatus = {
    name,
    current,
    saved: profile !== undefined,
    ...(clientId ? { clientId, ...(clientIdSource ? { clientIdSource } : {}) } : {}),
    ...(profile?.appId ? { appId: profile.appId } : env['SPAPI_APP_ID'] ? { appId: env['SPAPI_APP_ID'] } : {}),
    ...(region ? { region } : {}),
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

/** One refresh_token grant with exactly this profile's credentials, past the token cache. */
async function checkRefresh(factory: Factory, clientId: string | undefined, values: Partial<Record<SecretKind, string>>, onResponse?: (response: LwaResponseSeen) => void): Promise<TokenCheck> {
  if (!clientId) return { state: 'skipped', code: 'no client id' };
  if (!values.client_secret) return { state: 'skipped', code: 'no client secret' };
  if (!values.refresh_token) return { state: 'skipped', code: 'no refresh token: grantless calls only' };
  try {
    await (await factory.lwa()).checkRefresh(clientId, values.client_secret, values.refresh_token, onResponse ? { onResponse } : {});
    return { state: 'ok' };
  } catch (error) {
    if (error instanceof AuthError && error.lwaCode) return { state: 'failed', code: error.lwaCode, message: error.lwaDescription ?? error.message };
    return { state: 'failed', code: error instanceof SpapiError ? error.kind : 'error', message: error instanceof Error ? error.message : String(error) };
  }
}

/** The region shown for a profile, by the precedence every command uses (core regionInputs). */
function regionOf(factory: Factory, profile: ProfileSettings | undefined): string | undefined {
  const inputs = regionInputs({ flags: factory.globals, env: factory.env, profile });
  return inputs.region ?? (inputs.marketplace ? findMarketplace(inputs.marketplace)?.region : undefined);
}

/** Builds the report: the selected profile (--profile, SPAPI_PROFILE) or every saved one. */
export async function gatherStatus(factory: Factory, options: StatusOptions, now = factory.clock.now()): Promise<StatusReport> {
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
    const onResponse = options.onLwaResponse ? (response: LwaResponseSeen) => options.onLwaResponse?.(name, response) : undefined;
    status.tokenRefresh = options.offline ? { state: 'skipped', code: '--offline' } : await checkRefresh(factory, status.clientId, values, onResponse);
    profiles.push(status);
  }
  return { configDir: factory.configDir(), currentProfile: currentName, profiles, rateLimitStore: options.rateLimitStore ?? (await factory.rateLimitStoreLine()) };
}

