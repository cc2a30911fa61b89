import { statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { ProfileFact } from '../../../core/tv-check/types.js';
import type { Factory } from '../../factory.js';

/**
 * spapi's own saved profiles as tv-check sees them: region, client id, where the secrets live and
 * how that file is protected. No secret is read. Undefined when the settings cannot be read.
 */
export async function profileFacts(factory: Factory, root: string): Promise<ProfileFact[] | undefined> {
  let settings;
  try {
    settings = await factory.settings();
  } catch {
    return undefined;
  }
  const secretsFile = join(factory.configDir(), 'secrets', 'secrets.json');
  const rel = relative(resolve(root), secretsFile);
  const insideRepository = !rel.startsWith('..') && !rel.startsWith('/');
  let mode: number | undefined;
  try {
    mode = statSync(secretsFile).mode & 0o777;
  } catch {
    mode = undefined;
  }
  return settings.profileNames().map((name): ProfileFact => {
    const profile = settings.profile(name) ?? {};
    const store = factory.env['SPAPI_SECRET_STORE'] ?? profile.secretStore ?? 'keychain';
    const fact: ProfileFact = { name, region: profile.region ?? 'na', sandbox: false, store: store === 'file' || store === 'keychain' ? store : 'unknown' };
    if (profile.clientId) fact.clientId = profile.clientId;
    if (profile.sellingPartnerId) fact.sellerId = profile.sellingPartnerId;
    if (profile.clientSecretSetAt) fact.secretSetAt = profile.clientSecretSetAt;
    if (fact.store === 'file') fact.file = { path: secretsFile, mode, insideRepository };
    return fact;
  });
}
