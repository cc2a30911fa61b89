import { MARKETPLACES } from '../../../core/regions.js';
import type { Factory } from '../../factory.js';
import type { Participation } from './participations.js';

/**
 * The marketplaces a listing asks for: --marketplace, else the profile's, else those of the region
 * the seller participates in: one getMarketplaceParticipations call, reused for a day (its burst
 * is 15, then about one a minute).
 */
export async function marketplaceIdsFor(factory: Factory, signal: AbortSignal): Promise<string[]> {
  const { region, marketplace } = await factory.regionAndMarketplace();
  if (marketplace) return [marketplace.id];
  const inRegion = new Set(MARKETPLACES.filter((m) => m.region === region.code).map((m) => m.id));
  const stored = (await factory.profile())?.marketplaces?.filter((id) => inRegion.has(id));
  if (stored?.length) return stored;
  const [{ ParticipationsCache }, { participatingIds }] = await Promise.all([import('../../../core/participations-cache.js'), import('./participations.js')]);
  const credentials = await factory.credentials();
  const owner = credentials.refreshToken ? { clientId: credentials.clientId, refreshToken: credentials.refreshToken, region: region.code } : undefined;
  const cache = new ParticipationsCache(factory.configDir());
  const now = factory.clock.now();
  const cached = owner ? cache.get(owner, now) : undefined;
  if (cached) return cached;
  const body = await (await factory.operations()).json<{ payload?: Participation[] }>('sellers.getMarketplaceParticipations', { signal });
  const ids = participatingIds(body?.payload ?? []).filter((id) => inRegion.has(id));
  const chosen = ids.length ? ids : [...inRegion];
  if (owner) cache.set(owner, chosen, now);
  return chosen;
}
