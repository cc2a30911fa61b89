import { describe, expect, it } from 'vitest';
import { describeText } from '../../src/cli/commands/ops/describe.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';

const spec = (extra: Partial<OperationSpec>): OperationSpec => ({
  model: 'ordersV0', family: 'orders', version: 'v0', operationId: 'getOrders', method: 'GET', path: '/orders/v0/orders',
  params: [], body: false, bodyRequired: false, rate: 1, burst: 5, pagination: null, rows: null,
  deprecated: false, grantlessScope: null, restricted: false, roles: [], sandboxOnly: false, ...extra,
});
const rolesLine = (extra: Partial<OperationSpec>): string | undefined =>
  describeText('x.y', spec(extra)).split('\n').find((line) => line.startsWith('  roles: '));

describe('ops describe: the roles line', () => {
  it.each([
    ['lists the roles, any one of which grants the operation', { roles: ['Inventory and Order Tracking', 'Pricing'] }, '  roles: Inventory and Order Tracking, Pricing (any one)'],
    ['says a grantless operation needs none', { grantlessScope: 'sellingpartnerapi::notifications' }, '  roles: none (grantless)'],
    ['says when the catalog knows no roles', { roles: [] }, "  roles: unknown (not in spapi's role table; see Amazon's role mappings)"],
  ])('%s', (_name, extra, line) => {
    expect(rolesLine(extra)).toBe(line);
  });

  it('comes after the token lines, before rows', () => {
    const lines = describeText('x.y', spec({ restricted: true, roles: ['Direct-to-Consumer Shipping (Restricted)'] })).split('\n');
    const at = (prefix: string): number => lines.findIndex((line) => line.startsWith(prefix));
    expect(at('  restricted: ')).toBeLessThan(at('  roles: '));
    expect(at('  roles: ')).toBeLessThan(at('  rows: '));
  });
});
