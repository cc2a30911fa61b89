import type { OperationSpec } from '../catalog/types.js';
import { UsageError } from '../errors.js';

/** The data elements a Restricted Data Token can grant (spapi-facts §5.4). */
export const DATA_ELEMENTS = ['buyerInfo', 'shippingAddress', 'buyerTaxInformation'] as const;

/** Orders operations that answer without an RDT and add PII only for requested data elements. */
const DATA_ELEMENT_OPS = new Set(['ordersV0.getOrders', 'ordersV0.getOrder', 'ordersV0.getOrderItems']);

/**
 * Whether a call needs a Restricted Data Token, and with which data elements: restricted operations
 * do, except the three Orders operations that work without one unless data elements are asked for.
 * `useRdt: false` sends the plain access token. Undefined means no RDT.
 */
export function rdtNeed(spec: OperationSpec, dataElements: readonly string[], useRdt = true): { dataElements: string[] } | undefined {
  const unknown = dataElements.filter((e) => !(DATA_ELEMENTS as readonly string[]).includes(e));
  if (unknown.length) throw new UsageError(`data elements ${unknown.join(',')}: use ${DATA_ELEMENTS.join(', ')}`);
  const name = `${spec.model}.${spec.operationId}`;
  if (dataElements.length && !spec.restricted) throw new UsageError(`${name} is not a restricted operation: drop --data-elements`);
  if (!spec.restricted || !useRdt) return undefined;
  if (DATA_ELEMENT_OPS.has(name) && dataElements.length === 0) return undefined;
  return { dataElements: [...dataElements] };
}
