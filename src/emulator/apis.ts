import { applicationHandlers } from './application.js';
import { catalogItemsHandlers } from './catalog-items.js';
import { dataKioskHandlers } from './data-kiosk.js';
import { fbaInventoryHandlers } from './fba-inventory.js';
import { feedsHandlers } from './feeds.js';
import { finances2024Handlers } from './finances-2024.js';
import { financesV0Handlers } from './finances.js';
import type { HandlerTable } from './handler.js';
import { listingsHandlers } from './listings.js';
import { notificationsHandlers } from './notifications.js';
import { orders2026Handlers } from './orders-2026.js';
import { ordersShipmentHandlers } from './orders-shipment.js';
import { ordersV0Handlers } from './orders.js';
import { pricingHandlers } from './pricing.js';
import { reportsHandlers } from './reports.js';
import { sellersHandlers } from './sellers.js';
import { tokensHandlers } from './tokens.js';

/** Every stateful handler by `<model>.<operationId>`. A new emulated API adds its table here. */
export const STATEFUL_HANDLERS: HandlerTable = {
  ...sellersHandlers,
  ...ordersV0Handlers,
  ...ordersShipmentHandlers,
  ...orders2026Handlers,
  ...reportsHandlers,
  ...feedsHandlers,
  ...dataKioskHandlers,
  ...tokensHandlers,
  ...notificationsHandlers,
  ...applicationHandlers,
  ...financesV0Handlers,
  ...finances2024Handlers,
  ...listingsHandlers,
  ...fbaInventoryHandlers,
  ...catalogItemsHandlers,
  ...pricingHandlers,
};

/** The APIs named in the NotEmulated message. */
export const EMULATED_APIS = ['sellers', 'ordersV0', 'orders_2026-01-01', 'reports_2021-06-30', 'feeds_2021-06-30', 'dataKiosk_2023-11-15', 'tokens_2021-03-01', 'notifications', 'application_2023-11-30', 'financesV0', 'finances_2024-06-19', 'listingsItems_2021-08-01', 'fbaInventory (getInventorySummaries)', 'catalogItems_2022-04-01', 'productPricingV0 (getItemOffers, getListingOffers)', 'productPricing_2022-05-01'];
