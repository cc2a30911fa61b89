import type { CallContext, HandlerTable } from './handler.js';
import { MARKETPLACES } from './marketplaces.js';
import { inRegion } from './regional-hosts.js';

// FR is listed but not participating, and DE has suspended listings, so clients see both flags vary.
const PARTICIPATION: Record<string, { isParticipating: boolean; hasSuspendedListings: boolean }> = {
  A1PA6795UKMFR9: { isParticipating: true, hasSuspendedListings: true },
  A13V1IB3VIYZZH: { isParticipating: false, hasSuspendedListings: false },
};

/** Sellers API v1: the seller's marketplaces, only the host's region's on a regional host. */
export const sellersHandlers: HandlerTable = {
  'sellers.getMarketplaceParticipations': (ctx: CallContext) => ({
    status: 200,
    body: {
      payload: MARKETPLACES.filter((marketplace) => inRegion(marketplace.id, ctx.region)).map((marketplace) => ({
        marketplace: { ...marketplace },
        participation: PARTICIPATION[marketplace.id] ?? { isParticipating: true, hasSuspendedListings: false },
        storeName: 'Emulator Store',
      })),
    },
  }),
};
