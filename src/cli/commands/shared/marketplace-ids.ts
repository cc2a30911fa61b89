import { MARKETPLACES } from '../../../core/regions.js';
import type { Factory } from '../../factory.js';

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
  const [{ ParticipationsCache }, { callJson }] = await Promise.all([import('../../../core/participations-cache.js'), import('./friendly.js')]);
  const credentials = await factory.credentials();
  const owner = credentials.refreshToken ? { clientId: credentials.clientId, refreshToken: credentials.refreshToken, region: region.code } : undefined;
  const cache = new ParticipationsCache(factory.configDir());
  const now = factory.clock.now();
  const cached = owner ? cache.get(owner, now) : undefined;
  if (cached) return cached;
  const body = (await callJson(factory, 'sellers.getMarketplaceParticipations', [], signal)) as
    | { payload?: Array<{ marketplace?: { id?: string }; participation?: { isParticipating?: boolean } }> }
    | undefined;
  const ids = (body?.payload ?? [])
    .filter((p) => p.participation?.isParticipating !== false && p.marketplace?.id && inRegion.has(p.marketplace.id))
    .map((p) => p.marketplace?.id as string);
  const chosen = ids.length ? ids : [...inRegion];
  if (owner) cache.set(owner, chosen, now);
  return chosen;
}
