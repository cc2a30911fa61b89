import type { Credentials } from '../../../core/auth/credentials.js';
import type { SecretStore } from '../../../core/auth/secret-store.js';
import { UsageError } from '../../../core/errors.js';
import type { Factory } from '../../factory.js';
import { PARTICIPATION_COLUMNS, participatingIds, type Participation } from '../shared/participations.js';

export { unknownProfile } from '../../profile-names.js';


/**
 * Proves new credentials work with one getMarketplaceParticipations call made with exactly those
 * credentials (not whatever the environment holds), and records the marketplaces in the profile.
 */
export async function verifyAndRecord(factory: Factory, profileName: string, credentials: Omit<Credentials, 'sources'>): Promise<Participation[]> {
  const { Operations } = await import('../../../core/operations.js');
  const client = await factory.client(() => Promise.resolve({ ...credentials, sources: {} }));
  const ops = new Operations(client, factory.catalog().catalog);
  const payload = (await ops.json<{ payload?: Participation[] }>('sellers.getMarketplaceParticipations'))?.payload ?? [];
  const settings = await factory.writableSettings();
  const profile = settings.profile(profileName) ?? {};
  settings.setProfile(profileName, { ...profile, marketplaces: participatingIds(payload) });
  return payload;
}

export async function showMarketplaces(factory: Factory, payload: Participation[]): Promise<void> {
  await factory.printer('list').list(payload, { columns: PARTICIPATION_COLUMNS });
}

/** The two secrets a profile keeps, in the order `auth status` shows them. */
export const SECRET_KINDS = ['client_secret', 'refresh_token'] as const;

/**
 * The store the new secrets go to. The keychain is probed before any browser opens, so an
 * unavailable one fails fast (exit 3) instead of after the user authorized.
 */
export async function storeForWriting(factory: Factory, profile: string, insecure: boolean | undefined): Promise<SecretStore> {
  if (insecure) {
    const store = await factory.secretStoreOfKind('file');
    factory.io.err(`warning: secrets will be kept in a plain file (${store.location}, mode 0600), not the OS keychain`);
    return store;
  }
  const store = await factory.secretStore();
  if (store.kind === 'none') {
    throw new UsageError('SPAPI_SECRET_STORE=none stores no secrets', { hint: 'unset it to use the keychain, or pass --insecure-storage for a 0600 file' });
  }
  if (store.kind === 'file') factory.io.err(`warning: SPAPI_SECRET_STORE=file keeps secrets in a plain file (${store.location}, mode 0600), not the OS keychain`);
  await store.get(profile, 'client_secret');
  return store;
}
