import { describe, expect, it } from 'vitest';
import { getPath, itemsLocation, mergePages, type Page } from '../../src/core/paginate.js';
import type { OperationSpec, PaginationSpec } from '../../src/core/catalog/types.js';

const p = (response: string): PaginationSpec => ({ request: 'nextToken', in: 'query', response });

describe('itemsLocation', () => {
  it.each([
    ['payload.NextToken', { payload: { Orders: [1], NextToken: 't' } }, 'Orders'],
    ['nextToken', { reports: [1], nextToken: 't' }, 'reports'],
    ['pagination.nextToken', { orders: [1], pagination: { nextToken: 't' } }, 'orders'],
    ['payload.pagination.nextToken', { payload: { orders: [1], pagination: { nextToken: 't' } } }, 'orders'],
  ])('%s', (response, body, key) => expect(itemsLocation(body, p(response))?.key).toBe(key));
  it('is undefined without an array', () => expect(itemsLocation({ nextToken: 't' }, p('nextToken'))).toBeUndefined());
  it("takes the operation's rows over the first array beside the token", () => {
    const body = { warnings: [{ code: 'W' }], contentMetadataRecords: [1, 2], nextPageToken: 't' };
    expect(itemsLocation(body, p('nextPageToken'))?.key).toBe('warnings');
    expect(itemsLocation(body, p('nextPageToken'), 'contentMetadataRecords')?.key).toBe('contentMetadataRecords');
    // rows the page does not have: the first array beside the token, as before
    expect(itemsLocation(body, p('nextPageToken'), 'payload.items')?.key).toBe('warnings');
  });
});

describe('mergePages', () => {
  it('concatenates the items and drops the token', () => {
    const spec = { pagination: p('payload.NextToken') } as OperationSpec;
    const page = (orders: number[], token?: string): Page => ({
      body: { payload: { Orders: orders, ...(token ? { NextToken: token } : {}) } },
      items: orders,
      nextToken: token,
      result: {} as Page['result'],
    });
    expect(mergePages([page([1, 2], 'a'), page([3], 'b'), page([4])], spec)).toEqual({ payload: { Orders: [1, 2, 3, 4] } });
  });
});

describe('getPath', () => {
  it('walks dotted paths and stops at non-objects', () => {
    expect(getPath({ a: { b: 1 } }, 'a.b')).toBe(1);
    expect(getPath({ a: 1 }, 'a.b')).toBeUndefined();
  });
});
