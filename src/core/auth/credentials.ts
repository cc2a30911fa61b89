import { AuthError } from '../errors.js';
import type { SecretKind, SecretStore } from './secret-store.js';

/** Environment names per credential, first wins: spapi's own, then the names other SP-API tools use. */
export const CREDENTIAL_ENV = {
  clientId: ['SPAPI_CLIENT_ID', 'LWA_APP_ID', 'SELLING_PARTNER_APP_CLIENT_ID'],
  clientSecret: ['SPAPI_CLIENT_SECRET', 'LWA_CLIENT_SECRET', 'SELLING_PARTNER_APP_CLIENT_SECRET'],
  refreshToken: ['SPAPI_REFRESH_TOKEN', 'SP_API_REFRESH_TOKEN'],
} as const;

export type CredentialName = keyof typeof CREDENTIAL_ENV;

/** Where one credential came from, for `auth status` and error messages; never the value. */
export type CredentialSource = 'flag' | `env ${string}` | 'keychain' | 'file' | 'profile';

export interface Credentials {
  clientId: string;
  clientSecret: string;
  refreshToken: string | undefined;
  /** Why the refresh token could not be read (keychain down), raised only if a call needs it. */
  refreshTokenError?: Error;
  sources: Partial<Record<CredentialName, CredentialSource>>;
}

export interface CredentialInput {
  profile: string;
  flags?: Partial<Record<CredentialName, string | undefined>>;
  env: Record<string, string | undefined>;
  /** Non-secret metadata stored for the profile (client id). */
  profileClientId?: string | undefined;
  store: SecretStore;
}

const STORE_KIND: Record<CredentialName, SecretKind | undefined> = {
  clientId: undefined,
  clientSecret: 'client_secret',
  refreshToken: 'refresh_token',
};

/**
 * The client id and where it came from, by the precedence every credential follows: the flag, the
 * environment, then the profile. Synchronous: the client id is not a secret and needs no store.
 */
export function clientIdOf(input: Pick<CredentialInput, 'flags' | 'env' | 'profileClientId'>): [string, CredentialSource] | undefined {
  const flag = input.flags?.clientId;
  if (flag) return [flag, 'flag'];
  const variable = envVariableFor(input.env, 'clientId');
  if (variable) return [input.env[variable] as string, `env ${variable}`];
  return input.profileClientId ? [input.profileClientId, 'profile'] : undefined;
}

async function resolveOne(name: CredentialName, input: CredentialInput): Promise<[string, CredentialSource] | undefined> {
  if (name === 'clientId') return clientIdOf(input);
  const flag = input.flags?.[name];
  if (flag) return [flag, 'flag'];
  const variable = envVariableFor(input.env, name);
  if (variable) return [input.env[variable] as string, `env ${variable}`];
  const kind = STORE_KIND[name];
  if (kind && input.store.kind !== 'none') {
    const value = await input.store.get(input.profile, kind);
    if (value) return [value, input.store.kind];
  }
  return undefined;
}

/** The first of a credential's environment names that is set (SPAPI_*, then the fallbacks). */
export function envVariableFor(env: Record<string, string | undefined>, name: CredentialName): string | undefined {
  return CREDENTIAL_ENV[name].find((variable) => Boolean(env[variable]));
}

/** A credential's value from the environment, by the same precedence. */
export function fromEnv(name: CredentialName, env: Record<string, string | undefined>): string | undefined {
  const variable = envVariableFor(env, name);
  return variable === undefined ? undefined : env[variable];
}

/** Flags win over env, env over the stored profile (design §2). The refresh token may be absent: grantless calls need none. */
export async function resolveCredentials(input: CredentialInput): Promise<Credentials> {
  let refreshTokenError: Error | undefined;
  const [clientId, clientSecret, refreshToken] = await Promise.all([
    resolveOne('clientId', input),
    resolveOne('clientSecret', input),
    // Grantless calls need no refresh token, so a store failure here waits until one is needed.
    resolveOne('refreshToken', input).catch((error: Error) => {
      refreshTokenError = error;
      return undefined;
    }),
  ]);
  const missing = [!clientId && 'client id (SPAPI_CLIENT_ID)', !clientSecret && 'client secret (SPAPI_CLIENT_SECRET)'].filter(Boolean);
  if (!clientId || !clientSecret) {
    throw new AuthError(`no ${missing.join(' and ')} for profile ${input.profile}`, {
      hint: 'run `spapi auth login`, or set SPAPI_CLIENT_ID, SPAPI_CLIENT_SECRET and SPAPI_REFRESH_TOKEN',
    });
  }
  return {
    clientId: clientId[0],
    clientSecret: clientSecret[0],
    refreshToken: refreshToken?.[0],
    ...(refreshTokenError ? { refreshTokenError } : {}),
    sources: { clientId: clientId[1], clientSecret: clientSecret[1], ...(refreshToken ? { refreshToken: refreshToken[1] } : {}) },
  };
}
