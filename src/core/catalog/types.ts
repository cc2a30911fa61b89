/** One parameter of an operation, as the catalog records it (facts only, no prose). */
export interface ParamSpec {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  /** Swagger primitive: string, integer, number, boolean, array. */
  type: string;
  /** Element type when `type` is array. */
  items?: string;
  enum?: string[];
  /** Element enum when `type` is array. */
  itemsEnum?: string[];
  /**
   * Values the model lists only in prose ("**Possible values**: `AFN`, `MFN`") where it declares no
   * enum (ordersV0 getOrders FulfillmentChannels). Offered by shell completion, never enforced:
   * prose is no contract, and refusing a value Amazon added later would be worse than sending it.
   */
  values?: string[];
  /** Arrays only: csv (the Swagger default) or multi. */
  collectionFormat?: 'csv' | 'multi';
  /** Path parameter whose value may contain `/` (uploads `{resource}`). */
  greedy?: boolean;
  /** Swagger `format` (date-time, int32, ...), kept for validation hints. */
  format?: string;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
}

/** How an operation pages: which request parameter carries the token and where the next one is. */
export interface PaginationSpec {
  /** Request parameter name, e.g. nextToken, NextToken, paginationToken, pageToken. */
  request: string;
  /** Where the request token goes. Only dataKiosk createQuery takes it in the body. */
  in: 'query' | 'body';
  /**
   * Dotted path of the next token in the response body, e.g. payload.NextToken. Empty when this
   * operation's response carries none: dataKiosk createQuery takes a token from getQuery's result.
   */
  response: string;
  /** True when the token must be the only parameter of the next request (reports/feeds getReports). */
  tokenAlone?: boolean;
}

export interface OperationSpec {
  /** Model file base name: ordersV0, reports_2021-06-30. Part of the qualified name. */
  model: string;
  /** API family: the model folder without -api-model (orders, reports, ...). */
  family: string;
  /** API version from the model's info.version. */
  version: string;
  operationId: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** Path template as in the model, e.g. /orders/v0/orders/{orderId}. */
  path: string;
  params: ParamSpec[];
  /** Whether the operation takes a JSON body, and whether it must have one. */
  body: boolean;
  bodyRequired: boolean;
  /** Default usage plan from the model (requests per second, bucket size); null when unknown. */
  rate: number | null;
  burst: number | null;
  pagination: PaginationSpec | null;
  /**
   * Dotted path of the main list in the success body, the array a table or csv shows as rows:
   * `payload.Orders`, `reports`, `""` when the body itself is an array. For a single record in an
   * envelope it is the record's path (`payload`, `order`); null means the whole body is one row
   * (or there is no body). Apply it with rowsOf.
   */
  rows: string | null;
  deprecated: boolean;
  /** LWA client_credentials scope for grantless operations, else null. */
  grantlessScope: string | null;
  /** Needs a Restricted Data Token (spapi-facts §5.4). */
  restricted: boolean;
  /**
   * The SP-API roles that grant the operation, from Amazon's role mappings (roles.json; the models
   * carry none): the app needs at least one of them. Empty for grantless operations, and where
   * spapi knows no roles (a model newer than its role table, or a catalog written before roles).
   */
  roles: string[];
  /** The operation exists only in the sandbox (x-amzn-api-sandbox-only). */
  sandboxOnly: boolean;
}

export interface Catalog {
  /** Models repository commit or folder the catalog was generated from. */
  source: string;
  generatedAt: string;
  operations: OperationSpec[];
}
