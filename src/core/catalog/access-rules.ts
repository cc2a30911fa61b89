/*
 * Which operations need a grantless (client_credentials) token or a Restricted Data Token. The
 * models carry no per-operation flag for either (spapi-facts §1.5, §5.4), so these lists are ours,
 * keyed by model file base name and operationId.
 */

/** LWA scope for the Notifications destination and subscription-by-id operations. */
export const NOTIFICATIONS_SCOPE = 'sellingpartnerapi::notifications';
/** LWA scope for rotating the application's client secret. */
export const CLIENT_SECRET_ROTATION_SCOPE = 'sellingpartnerapi::client_credential:rotation';

/** model -> operationId -> scope. getSubscriptions/getSubscription/createSubscription need a seller token. */
export const GRANTLESS_OPERATIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  notifications: {
    getSubscriptionById: NOTIFICATIONS_SCOPE,
    deleteSubscriptionById: NOTIFICATIONS_SCOPE,
    sendTestNotification: NOTIFICATIONS_SCOPE,
    getDestinations: NOTIFICATIONS_SCOPE,
    createDestination: NOTIFICATIONS_SCOPE,
    getDestination: NOTIFICATIONS_SCOPE,
    deleteDestination: NOTIFICATIONS_SCOPE,
  },
  // The docs' grantless list names it although the model does not.
  'application_2023-11-30': { rotateApplicationClientSecret: CLIENT_SECRET_ROTATION_SCOPE },
};

/**
 * model -> operationIds that need an RDT, from the Tokens API use-case guide (names the current
 * models lack, e.g. cancelShipmentOld, are kept so an older model still gets flagged). reports
 * getReportDocument is restricted only for some report types, so it is decided at call time.
 */
export const RESTRICTED_OPERATIONS: Readonly<Record<string, readonly string[]>> = {
  ordersV0: [
    'getOrders',
    'getOrder',
    'getOrderItems',
    'getOrderRegulatedInfo',
    'getOrderAddress',
    'getOrderBuyerInfo',
    'getOrderItemsBuyerInfo',
  ],
  merchantFulfillmentV0: ['getShipment', 'cancelShipment', 'cancelShipmentOld', 'createShipment'],
  vendorDirectFulfillmentOrdersV1: ['getOrders', 'getOrder'],
  'vendorDirectFulfillmentOrders_2021-12-28': ['getOrders', 'getOrder'],
  vendorDirectFulfillmentShippingV1: [
    'getShippingLabel',
    'getShippingLabels',
    'getPackingSlip',
    'getPackingSlips',
    'getCustomerInvoice',
    'getCustomerInvoices',
    'createShippingLabels',
  ],
  // The guide lists createShippingLabels under v1 only (which no longer has it); its own tutorial
  // page (docs/create-shipping-labels) says the 2021-12-28 operation needs an RDT too.
  'vendorDirectFulfillmentShipping_2021-12-28': [
    'createShippingLabels',
    'getShippingLabel',
    'getCustomerInvoice',
    'getCustomerInvoices',
    'getPackingSlip',
    'getPackingSlips',
  ],
  'easyShip_2022-03-23': ['createScheduledPackageBulk'],
  shipmentInvoicingV0: ['getShipmentDetails'],
};
