/** The two long-lived secrets spapi keeps for a profile. Access tokens are cached elsewhere, sealed. */
export type SecretKind = 'client_secret' | 'refresh_token';

export type SecretStoreKind = 'keychain' | 'file' | 'none';

/**
 * Where secrets are kept: the OS keychain (default), an explicit 0600 file, or nowhere
 * (SPAPI_SECRET_STORE=none: flags and env only). Implementations live in src/adapters.
 */
export interface SecretStore {
  readonly kind: SecretStoreKind;
  /** Human description of the location, for `auth status` ("keychain service spapi", a file path). */
  readonly location: string;
  get(profile: string, kind: SecretKind): Promise<string | undefined>;
  set(profile: string, kind: SecretKind, value: string): Promise<void>;
  delete(profile: string, kind: SecretKind): Promise<boolean>;
}

/** SPAPI_SECRET_STORE=none: nothing is stored, nothing is read. */
export class NoSecretStore implements SecretStore {
  readonly kind = 'none';
  readonly location = 'nowhere (SPAPI_SECRET_STORE=none: flags and environment only)';
  get(): Promise<string | undefined> {
    return Promise.resolve(undefined);
  }
  set(): Promise<void> {
    return Promise.reject(new Error('SPAPI_SECRET_STORE=none stores no secrets'));
  }
  delete(): Promise<boolean> {
    return Promise.resolve(false);
  }
}
