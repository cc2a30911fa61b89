/** Non-secret metadata of one profile. Secrets live in the SecretStore, never here. */
export interface ProfileSettings {
  clientId?: string;
  appId?: string;
  region?: string;
  marketplace?: string;
  sellingPartnerId?: string;
  marketplaces?: string[];
  /** ISO date the client secret was last set or rotated (Amazon requires rotation every 180 days). */
  clientSecretSetAt?: string;
  /** Which store holds this profile's secrets. */
  secretStore?: 'keychain' | 'file';
}

/** Profiles and preferences, kept by an adapter (conf) under the config directory. */
export interface Settings {
  readonly path: string;
  currentProfile(): string | undefined;
  setCurrentProfile(name: string): void;
  /** No current profile: commands then use `default` until one is saved or switched to. */
  clearCurrentProfile(): void;
  profile(name: string): ProfileSettings | undefined;
  setProfile(name: string, data: ProfileSettings): void;
  deleteProfile(name: string): void;
  profileNames(): string[];
}
