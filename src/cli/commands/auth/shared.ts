import { CREDENTIAL_ENV, type CredentialName, type Credentials } from '../../../core/auth/credentials.js';
import type { SecretStore } from '../../../core/auth/secret-store.js';
import { didYouMean, didYouMeanSuffix } from '../../../core/did-you-mean.js';
import { UsageError } from '../../../core/errors.js';
import type { ProfileSettings } from '../../../core/settings.js';
import { pickFormat, render } from '../../output.js';
import type { Factory } from '../../factory.js';

export interface Participation {
  marketplace?: { id?: string; countryCode?: string; name?: string; defaultCurrencyCode?: string };
  participation?: { isParticipating?: boolean; hasSuspendedListings?: boolean };
}

/**
 * Proves new credentials work with one getMarketplaceParticipations call made with exactly those
 * credentials (not whatever the environment holds), and records the marketplaces in the profile.
 */
export async function verifyAndRecord(factory: Factory, profileName: string, credentials: Omit<Credentials, 'sources'>): Promise<Participation[]> {
  const { resolveOperation, buildRequest } = await import('../shared/operation.js');
  const op = resolveOperation(factory, 'sellers.getMarketplaceParticipations');
  const client = await factory.client(() => Promise.resolve({ ...credentials, sources: {} }));
  const result = await client.call(op.spec, buildRequest(op.spec, { params: [] }), { operationName: op.name });
  const payload = ((JSON.parse(result.text) as { payload?: Participation[] }).payload ?? []);
  const settings = await factory.writableSettings();
  const profile = settings.profile(profileName) ?? {};
  const ids = payload.filter((p) => p.participation?.isParticipating !== false).map((p) => p.marketplace?.id).filter((id): id is string => Boolean(id));
  settings.setProfile(profileName, { ...profile, marketplaces: ids });
  return payload;
}

export async function showMarketplaces(factory: Factory, payload: Participation[]): Promise<void> {
  await render(factory.io, pickFormat(factory.globals.output, factory.io), payload, payload, [
    { header: 'marketplace', path: 'marketplace.id' },
    { header: 'country', path: 'marketplace.countryCode' },
    { header: 'name', path: 'marketplace.name' },
    { header: 'participating', path: 'participation.isParticipating' },
  ]);
}

/** The two secrets a profile keeps, in the order `auth status` shows them. */
export const SECRET_KINDS = ['client_secret', 'refresh_token'] as const;

/**
 * The store that holds `profile`'s secrets: SPAPI_SECRET_STORE when set, else the store recorded
 * when the profile was saved, else the keychain (the same rule as Factory.secretStore, for any
 * profile rather than only the current one).
 */
export function storeOfProfile(factory: Factory, profile: ProfileSettings | undefined): Promise<SecretStore> {
  return storeOfKind(factory, factory.env['SPAPI_SECRET_STORE'] ?? profile?.secretStore ?? 'keychain');
}

/** A secret store by its SPAPI_SECRET_STORE name. */
export async function storeOfKind(factory: Factory, choice: string): Promise<SecretStore> {
  if (choice === 'none') return new (await import('../../../core/auth/secret-store.js')).NoSecretStore();
  if (choice === 'file') return new (await import('../../../adapters/file-secret-store.js')).FileSecretStore(factory.configDir());
  if (choice === 'keychain') return new (await import('../../../adapters/keychain-store.js')).KeychainStore();
  throw new UsageError(`SPAPI_SECRET_STORE=${choice} is not one of keychain, file, none`);
}

/** The environment variable that provides a credential (env wins over stored profiles), if any. */
export function envVariableFor(env: Record<string, string | undefined>, name: CredentialName): string | undefined {
  return CREDENTIAL_ENV[name].find((variable) => Boolean(env[variable]));
}

/** A usage error for a profile name that is not saved, with near names and the list of saved ones. */
export function unknownProfile(name: string, saved: readonly string[]): UsageError {
  const suggestions = didYouMean(name, saved);
  return new UsageError(`no profile ${name}${didYouMeanSuffix(suggestions)}`, {
    hint: saved.length ? `saved profiles: ${saved.join(', ')}` : 'no profile is saved yet: run `spapi auth login` or `spapi auth add`',
  });
}
