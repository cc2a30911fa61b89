import { describe, expect, it } from 'vitest';
import { rdtNeed } from '../../src/core/auth/rdt-policy.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';
import { UsageError } from '../../src/core/errors.js';

const op = (model: string, operationId: string, restricted: boolean) => ({ model, operationId, restricted }) as OperationSpec;
const getOrders = op('ordersV0', 'getOrders', true);
const getOrderAddress = op('ordersV0', 'getOrderAddress', true);
const getShippingLabel = op('vendorDirectFulfillmentShippingV1', 'getShippingLabel', true);
const getMarketplaceParticipations = op('sellers', 'getMarketplaceParticipations', false);

describe('rdtNeed', () => {
  it.each([
    ['getOrders without data elements: plain token', getOrders, [], true, undefined],
    ['getOrders with buyerInfo: RDT for it', getOrders, ['buyerInfo'], true, { dataElements: ['buyerInfo'] }],
    ['getOrderAddress: always an RDT', getOrderAddress, [], true, { dataElements: [] }],
    ['a vendor label: always an RDT', getShippingLabel, [], true, { dataElements: [] }],
    ['--no-rdt: plain token', getOrderAddress, [], false, undefined],
    ['unrestricted: plain token', getMarketplaceParticipations, [], true, undefined],
  ] as const)('%s', (_, spec, elements, useRdt, expected) => expect(rdtNeed(spec, elements, useRdt)).toEqual(expected));

  it('refuses unknown data elements and data elements on unrestricted operations', () => {
    expect(() => rdtNeed(getOrders, ['creditCard'])).toThrow(UsageError);
    expect(() => rdtNeed(getMarketplaceParticipations, ['buyerInfo'])).toThrow(/not a restricted operation/);
  });
});
