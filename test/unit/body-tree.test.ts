import { describe, expect, it } from 'vitest';
import { bodyTree } from '../../src/cli/commands/ops/body-tree.js';
import { describeText } from '../../src/cli/commands/ops/describe.js';
import type { JsonObject } from '../../src/core/catalog/swagger.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';

// A small model with each shape the real ones use: $ref, nested object, array of objects, map,
// enum, formats, bounds, allOf, and a definition that contains itself.
const definitions: Record<string, JsonObject> = {
  Order: {
    type: 'object',
    required: ['id', 'items'],
    properties: {
      id: { type: 'string', minLength: 1, maxLength: 40, pattern: '^[0-9-]+$' },
      status: { type: 'string', enum: ['Pending', 'Shipped'] },
      placedAt: { type: 'string', format: 'date-time' },
      address: { $ref: '#/definitions/Address' },
      items: { type: 'array', minItems: 1, maxItems: 25, items: { $ref: '#/definitions/Item' } },
      tags: { type: 'array', uniqueItems: true, items: { type: 'string', enum: ['gift', 'rush'] } },
      options: { type: 'object', additionalProperties: { type: 'string' } },
      category: { $ref: '#/definitions/Category' },
      extra: { type: 'object' },
    },
  },
  Address: { type: 'object', required: ['city'], properties: { city: { type: 'string' }, zip: { type: 'string' } } },
  Item: {
    allOf: [{ $ref: '#/definitions/Base' }, { type: 'object', required: ['quantity'], properties: { quantity: { type: 'integer', format: 'int32', minimum: 1, maximum: 99 } } }],
  },
  Base: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } },
  Category: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/definitions/Category' } } } },
};

describe('bodyTree', () => {
  const tree = bodyTree({ $ref: '#/definitions/Order' }, definitions);

  it('names the root by its definition', () => {
    expect(tree.root).toBe('object Order');
  });

  it('one line a field: required marker, type, format, enum, bounds; nested fields four columns in; $refs followed; recursion cut', () => {
    expect(tree.fields).toEqual([
      '* id (string)  length 1 to 40; pattern ^[0-9-]+$',
      '  status (string)  one of Pending|Shipped',
      '  placedAt (string)  date-time',
      '  address (object Address)',
      '    * city (string)',
      '      zip (string)',
      '* items (array of object Item)  1 to 25 items',
      '    * sku (string)',
      '    * quantity (integer)  int32; min 1; max 99',
      '  tags (array of string)  unique items; items one of gift|rush',
      '  options (map of string)',
      '  category (object Category)',
      '      name (string)',
      '      children (array of object Category)  (recursive: Category again, its fields are above)',
      '  extra (object)',
    ]);
  });

  it('cuts long enums and deep nesting, pointing at --schema', () => {
    const many = { type: 'string', enum: Array.from({ length: 20 }, (_, i) => `V${i}`) };
    expect(bodyTree(many, {}).root).toBe('string  one of V0|V1|V2|V3|V4|V5|V6|V7|V8|V9|V10|V11|… (20 values)');
    let deep: JsonObject = { type: 'string' };
    for (let i = 0; i < 12; i++) deep = { type: 'object', properties: { [`level${11 - i}`]: deep } };
    const lines = bodyTree(deep, {}).fields;
    expect(lines).toHaveLength(9);
    expect(lines[7]).toBe(`${' '.repeat(28)}  level7 (object)`);
    expect(lines[8]).toBe(`${' '.repeat(32)}… (deeper fields: see --schema)`);
  });

  it('a body that is a list shows its items\' fields', () => {
    const list = bodyTree({ type: 'array', items: { $ref: '#/definitions/Address' } }, definitions);
    expect(list.root).toBe('array of object Address');
    expect(list.fields).toEqual(['* city (string)', '  zip (string)']);
  });
});

describe('describeText: the body in place of "body: JSON, required"', () => {
  const spec: OperationSpec = {
    model: 'test', family: 'test', version: 'v0', operationId: 'createOrder', method: 'POST', path: '/orders',
    params: [{ name: 'marketplaceId', in: 'query', required: true, type: 'string' }], body: true, bodyRequired: true,
    rate: 1, burst: 5, pagination: null, rows: null, deprecated: false, grantlessScope: null, restricted: false, roles: [], sandboxOnly: false,
  };
  const lines = (body?: Parameters<typeof describeText>[2]): string[] => describeText('test.createOrder', spec, body).split('\n');

  it('the tree under the body line, then the parameters as before', () => {
    const text = lines({ schema: { $ref: '#/definitions/Address' }, definitions });
    const at = text.indexOf('  body: JSON, required, object Address');
    expect(at).toBeGreaterThan(0);
    expect(text.slice(at, at + 6)).toEqual([
      '  body: JSON, required, object Address',
      '    * city (string)',
      '      zip (string)',
      '  parameters:',
      '    * marketplaceId (query, string)',
      '  (* required)',
    ]);
  });

  it('says when the schema catalog has no schema, and "none" without a body', () => {
    expect(lines()).toContain("  body: JSON, required (its fields: not in spapi's schema catalog)");
    expect(describeText('x.y', { ...spec, body: false, bodyRequired: false }).split('\n')).toContain('  body: none');
  });
});
