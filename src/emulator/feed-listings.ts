/*
 * JSON_LISTINGS_FEED processing: the feed is checked against the listings-feed-schema-v2 rules
 * (spapi-facts §10) and the seller's SKUs, and answered with a processing report in the
 * listings-feed-processing-report-schema-v2 shape: `{header, issues, summary}`, `attributeName`
 * singular, feed-level issues without messageId.
 *
 * Issue codes: 4002001 (feed not parseable), 4002005 (required attribute missing), 4002006
 * (version) and 4002008 (message fails the schema) are the codes Amazon's reports show
 * (selling-partner-api-docs #1098, #1133, #2201; selling-partner-api-models #4636). Amazon publishes
 * no table of the others; 4000001 (invalid value), 4000003 (unknown SKU) and 4000004 (attribute not
 * in the product type, a WARNING) are the emulator's picks in the same range.
 *
 * Unknown SKUs: an UPDATE creates the SKU; PATCH, PARTIAL_UPDATE and DELETE of a SKU the seller
 * does not have are errors here. Amazon has at times accepted such a PATCH silently
 * (selling-partner-api-models #4402); the emulator reports it, so a client's error path is tested.
 */

/** One issue of the processing report. */
export interface ListingsIssue {
  messageId?: number;
  sku?: string;
  code?: string;
  severity: 'ERROR' | 'WARNING' | 'INFO';
  message: string;
  attributeName?: string;
}

export interface ListingsReport {
  header: { sellerId: string; version: '2.0'; feedId: string };
  issues: ListingsIssue[];
  summary: { errors: number; warnings: number; messagesProcessed: number; messagesAccepted: number; messagesInvalid: number };
}

/** The report, and whether the feed as a whole failed (FATAL) rather than being processed (DONE). */
export interface ListingsOutcome {
  fatal: boolean;
  report: ListingsReport;
}

/** What an accepted message asks for, already checked. */
export interface AcceptedMessage {
  operation: 'UPDATE' | 'PARTIAL_UPDATE' | 'PATCH' | 'DELETE';
  sku: string;
  productType?: string;
  /** UPDATE and PARTIAL_UPDATE: the attributes given. */
  attributes?: Record<string, unknown>;
  /** PATCH: the patches, their paths `/attributes/<name>`. */
  patches?: Array<{ op: string; path: string; value?: unknown }>;
  /** The message's warnings (an ignored attribute). */
  warnings: ListingsIssue[];
}

/** The seller's listings as a feed sees them: which SKUs exist, and the change of each accepted message. */
export interface ListingsBook {
  has(sku: string): boolean;
  apply(message: AcceptedMessage): void;
}

export interface ListingsContext {
  feedId: string;
  /** The selling partner that submitted the feed; the header's sellerId must name it. */
  sellerId: string;
  /** The seller's SKUs; accepted messages change them. */
  skus: ListingsBook;
}

// The schema's limit (raised from 10,000 in 2025; spapi-facts §10).
export const MAX_MESSAGES = 25_000;
const OPERATIONS = ['UPDATE', 'PARTIAL_UPDATE', 'PATCH', 'DELETE'] as const;
const PATCH_OPS = ['add', 'replace', 'merge', 'delete'];
const REQUIREMENTS = ['LISTING', 'LISTING_PRODUCT_ONLY', 'LISTING_OFFER_ONLY'];
const SCHEMA_MESSAGE = 'The provided message did not meet the schema validation requirements for a feed message.';

/**
 * Attributes the emulator's product types know: the common listing attributes of the Product
 * Type Definitions (offer, fulfillment, identity, images, dimensions, variations, compliance). Any
 * other name is ignored with a WARNING, as Amazon does with attributes outside the product type.
 */
export const KNOWN_ATTRIBUTES: ReadonlySet<string> = new Set([
  'item_name', 'brand', 'manufacturer', 'model_number', 'model_name', 'part_number', 'bullet_point', 'product_description',
  'generic_keyword', 'item_type_keyword', 'recommended_browse_nodes', 'externally_assigned_product_identifier',
  'merchant_suggested_asin', 'supplier_declared_has_product_identifier_exemption', 'condition_type', 'condition_note',
  'fulfillment_availability', 'purchasable_offer', 'list_price', 'max_order_quantity', 'merchant_shipping_group',
  'merchant_release_date', 'product_tax_code', 'gift_options', 'skip_offer', 'main_product_image_locator',
  'other_product_image_locator_1', 'other_product_image_locator_2', 'other_product_image_locator_3',
  'other_product_image_locator_4', 'other_product_image_locator_5', 'other_product_image_locator_6',
  'other_product_image_locator_7', 'other_product_image_locator_8', 'swatch_product_image_locator', 'main_offer_image_locator',
  'color', 'size', 'style', 'material', 'pattern', 'department', 'target_audience_keyword', 'special_feature',
  'number_of_items', 'unit_count', 'item_package_quantity', 'item_weight', 'item_dimensions', 'item_package_dimensions',
  'item_package_weight', 'item_length_width_height', 'parentage_level', 'child_parent_sku_relationship', 'variation_theme',
  'country_of_origin', 'batteries_required', 'batteries_included', 'supplier_declared_dg_hz_regulation',
  'warranty_description', 'included_components', 'care_instructions', 'lifecycle_supply_type', 'is_expiration_dated_product',
]);

/** Processes a parsed-or-not JSON_LISTINGS_FEED body. */
export function processListingsFeed(bytes: Buffer, context: ListingsContext): ListingsOutcome {
  const fatal = (issue: ListingsIssue): ListingsOutcome => ({ fatal: true, report: listingsReport(context, [issue], 0, 0) });
  let feed: unknown;
  try {
    // A UTF-8 byte order mark is tolerated; anything else that is not JSON is not a feed.
    feed = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, ''));
  } catch {
    return fatal({ code: '4002001', severity: 'ERROR', message: "Item 'Feed' cannot be parsed." });
  }
  if (!isObject(feed)) return fatal({ code: '4002001', severity: 'ERROR', message: "Item 'Feed' cannot be parsed." });
  const { header, messages } = feed;
  if (!isObject(header)) return fatal(missing('header'));
  if (typeof header['sellerId'] !== 'string' || header['sellerId'] === '') return fatal(missing('sellerId'));
  if (header['version'] !== '2.0') return fatal({ code: '4002006', severity: 'ERROR', message: "The attribute 'version' does not match the required value." });
  if (header['sellerId'] !== context.sellerId) {
    return fatal({ severity: 'ERROR', message: `The sellerId '${header['sellerId']}' in the feed header is not the selling partner that submitted the feed (${context.sellerId}).` });
  }
  if (!Array.isArray(messages)) return fatal(missing('messages'));
  if (messages.length === 0) return fatal({ code: '4002008', severity: 'ERROR', message: 'The feed has no messages; a JSON_LISTINGS_FEED holds 1 to 25000.' });
  if (messages.length > MAX_MESSAGES) return fatal({ severity: 'ERROR', message: `The feed messages list is beyond the allowed size: ${messages.length} messages, at most ${MAX_MESSAGES}.` });

  const issues: ListingsIssue[] = [];
  const seen = new Set<number>();
  let invalid = 0;
  for (const message of messages) {
    const found = checkMessage(message, seen, context.skus);
    issues.push(...found.issues);
    if (found.issues.some((issue) => issue.severity === 'ERROR')) {
      invalid += 1;
    } else if (found.apply) {
      // Accepted: the seller's listings follow, so a later message (or feed, or API call) sees the change.
      context.skus.apply({ ...found.apply, warnings: found.issues });
    }
  }
  return { fatal: false, report: listingsReport(context, issues, messages.length, invalid) };
}

/** A processing report of `processed` messages, `invalid` of them with errors. */
export function listingsReport(context: Pick<ListingsContext, 'feedId' | 'sellerId'>, issues: ListingsIssue[], processed: number, invalid: number): ListingsReport {
  return {
    header: { sellerId: context.sellerId, version: '2.0', feedId: context.feedId },
    issues,
    summary: {
      errors: issues.filter((issue) => issue.severity === 'ERROR').length,
      warnings: issues.filter((issue) => issue.severity === 'WARNING').length,
      messagesProcessed: processed,
      messagesAccepted: processed - invalid,
      messagesInvalid: invalid,
    },
  };
}

function missing(attribute: string): ListingsIssue {
  return { code: '4002005', severity: 'ERROR', message: `Attribute '${attribute}' is required, but not present.` };
}

interface MessageCheck {
  issues: ListingsIssue[];
  /** What an accepted message changes. */
  apply?: Omit<AcceptedMessage, 'warnings'>;
}

function checkMessage(message: unknown, seen: Set<number>, skus: Pick<ListingsBook, 'has'>): MessageCheck {
  if (!isObject(message)) return { issues: [{ code: '4002008', severity: 'ERROR', message: `${SCHEMA_MESSAGE} A message must be an object.` }] };
  const rawId = message['messageId'];
  const messageId = typeof rawId === 'number' && Number.isInteger(rawId) && rawId >= 1 ? rawId : undefined;
  const rawSku = message['sku'];
  const sku = typeof rawSku === 'string' && rawSku !== '' ? rawSku : undefined;
  const where = { ...(messageId !== undefined ? { messageId } : {}), ...(sku !== undefined ? { sku } : {}) };
  const schema = (reason: string, attributeName?: string): MessageCheck => ({
    issues: [{ ...where, code: '4002008', severity: 'ERROR', message: `${SCHEMA_MESSAGE} ${reason}`, ...(attributeName !== undefined ? { attributeName } : {}) }],
  });
  if (messageId === undefined) return schema('messageId must be an integer of 1 or more.');
  if (seen.has(messageId)) return schema(`messageId ${messageId} is not unique in the feed.`);
  seen.add(messageId);
  if (sku === undefined) return schema('sku is required.');
  const operation = message['operationType'];
  if (typeof operation !== 'string' || !(OPERATIONS as readonly string[]).includes(operation)) {
    return schema(`operationType must be one of ${OPERATIONS.join(', ')}; got ${JSON.stringify(operation ?? null)}.`);
  }
  const op = operation as (typeof OPERATIONS)[number];
  const requirements = message['requirements'];
  if (requirements !== undefined && !REQUIREMENTS.includes(requirements as string)) return schema(`requirements must be one of ${REQUIREMENTS.join(', ')}.`);
  if (op !== 'DELETE' && (typeof message['productType'] !== 'string' || message['productType'] === '')) {
    return schema(`productType is required for operationType ${op}.`, 'productType');
  }

  // The attributes the message sets, by name, with the values given.
  const values: Array<[string, unknown]> = [];
  if (op === 'UPDATE' || op === 'PARTIAL_UPDATE') {
    const attributes = message['attributes'];
    if (!isObject(attributes)) return schema(`attributes (an object) is required for operationType ${op}.`, 'attributes');
    values.push(...Object.entries(attributes));
  }
  if (op === 'PATCH') {
    const patches = message['patches'];
    if (!Array.isArray(patches) || patches.length === 0) return schema('patches (a non-empty array) is required for operationType PATCH.', 'patches');
    for (const patch of patches) {
      if (!isObject(patch)) return schema('each patch must be an object with op, path and value.');
      const path = patch['path'];
      const name = typeof path === 'string' ? /^\/attributes\/([^/]+)/.exec(path)?.[1] : undefined;
      if (name === undefined) return schema(`a patch path must be /attributes/<name>; got ${JSON.stringify(path ?? null)}.`);
      if (!PATCH_OPS.includes(patch['op'] as string)) {
        // RFC 6902's remove, move, copy and test are not listings patch operations.
        return schema(`patch op must be one of ${PATCH_OPS.join(', ')}; got ${JSON.stringify(patch['op'] ?? null)}.`, name);
      }
      if (patch['op'] === 'delete' && patch['value'] === undefined) continue;
      values.push([name, patch['value']]);
    }
  }

  const issues: ListingsIssue[] = [];
  if (op !== 'UPDATE' && !skus.has(sku)) {
    issues.push({ ...where, code: '4000003', severity: 'ERROR', message: `The provided SKU does not exist: the seller has no listing '${sku}' to ${op === 'DELETE' ? 'delete' : 'update'}.` });
  }
  for (const [name, value] of values) {
    if (!KNOWN_ATTRIBUTES.has(name)) {
      issues.push({ ...where, code: '4000004', severity: 'WARNING', message: `The attribute '${name}' is not part of the product type's schema; it was ignored.`, attributeName: name });
      continue;
    }
    const problem = valueProblem(name, value);
    if (problem !== undefined) issues.push({ ...where, code: '4000001', severity: 'ERROR', message: `The provided value for '${name}' is invalid: ${problem}`, attributeName: name });
  }
  const productType = typeof message['productType'] === 'string' ? message['productType'] : undefined;
  const attributes = isObject(message['attributes']) ? message['attributes'] : undefined;
  const patches = op === 'PATCH' ? (message['patches'] as Array<{ op: string; path: string; value?: unknown }>) : undefined;
  return {
    issues,
    apply: { operation: op, sku, ...(productType !== undefined ? { productType } : {}), ...(attributes && op !== 'PATCH' ? { attributes } : {}), ...(patches ? { patches } : {}) },
  };
}

/** Why an attribute's value is not acceptable, or undefined. Attribute values are arrays of objects. */
export function valueProblem(name: string, value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0 || !value.every(isObject)) return 'the value must be a non-empty array of objects.';
  if (name === 'fulfillment_availability') {
    for (const entry of value as Array<Record<string, unknown>>) {
      const quantity = entry['quantity'];
      if (quantity !== undefined && !(typeof quantity === 'number' && Number.isInteger(quantity) && quantity >= 0)) {
        return `quantity must be a whole number of 0 or more; got ${JSON.stringify(quantity)}.`;
      }
      const code = entry['fulfillment_channel_code'];
      if (code !== undefined && (typeof code !== 'string' || code === '')) return 'fulfillment_channel_code must be a string such as DEFAULT.';
    }
  }
  if (name === 'purchasable_offer' || name === 'list_price') {
    const negative = findNegativeAmount(value);
    if (negative !== undefined) return `${negative.key} must not be negative; got ${negative.amount}.`;
  }
  return undefined;
}

/** The first negative price (value_with_tax, value) anywhere in an offer. */
function findNegativeAmount(value: unknown): { key: string; amount: number } | undefined {
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findNegativeAmount(item);
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  for (const [key, item] of Object.entries(value)) {
    if ((key === 'value_with_tax' || key === 'value') && typeof item === 'number' && item < 0) return { key, amount: item };
    const found = findNegativeAmount(item);
    if (found) return found;
  }
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
