import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { savedProfileNames } from '../../src/cli/completion/profiles.js';
import { valuesInProse } from '../../src/core/catalog/generate.js';
import { loadCatalog } from '../../src/core/catalog/load.js';
import { findOperation } from '../../src/core/catalog/lookup.js';

// Where the candidates beyond the command tree come from: the catalog's parameter values and the
// profiles in the config dir.
const work = mkdtempSync(join(tmpdir(), 'spapi-completion-sources-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('valuesInProse (values a parameter description lists as possible)', () => {
  const cases: Array<[string | undefined, string[] | undefined]> = [
    ['A list that indicates how an order was fulfilled.\n\n**Possible values**: `AFN` (fulfilled by Amazon), `MFN` (fulfilled by seller).', ['AFN', 'MFN']],
    ['A list of `OrderStatus` values.\n\n**Possible values:**\n- `Pending` (not yet `Paid`.)\n- `Shipped` (All shipped.)', ['Pending', 'Shipped']],
    ['Filter.\n\n**Possible values:**\n\n* `ORDER_ID`: the order ID.\n\n**Note:**\n\n`ORDER_ID` and `FINANCIAL_EVENT_GROUP_ID` are the only `relatedIdentifier` values.', ['ORDER_ID']],
    ['**Possible values:** `AVAILABLE`, `RESERVED`, `TOTAL`', ['AVAILABLE', 'RESERVED', 'TOTAL']],
    ['The Marketplace ID. For a list of possible values, refer to [Marketplace IDs](https://developer-docs.amazon.com/sp-api/docs/marketplace-ids).', undefined],
    ['A `code` with no list.', undefined],
    [undefined, undefined],
  ];
  it.each(cases)('%j → %j', (description, expected) => {
    expect(valuesInProse(description)).toEqual(expected);
  });

  it('the built-in catalog keeps them beside the enums (getOrders FulfillmentChannels, OrderStatuses)', () => {
    const { catalog } = loadCatalog({ configDir: join(work, 'no-config') });
    const params = findOperation(catalog, 'ordersV0.getOrders').spec.params;
    expect(params.find((p) => p.name === 'FulfillmentChannels')?.values).toEqual(['AFN', 'MFN']);
    expect(params.find((p) => p.name === 'OrderStatuses')?.values).toContain('Unshipped');
    expect(params.find((p) => p.name === 'MarketplaceIds')?.values).toBeUndefined();
    const withValues = catalog.operations.flatMap((op) => op.params.filter((p) => p.values));
    expect(withValues.every((p) => !p.enum && !p.itemsEnum)).toBe(true);
    expect(withValues).toHaveLength(8);
  });
});

describe('savedProfileNames', () => {
  it('reads the profile names from <config dir>/config.json', () => {
    const dir = join(work, 'profiles');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentProfile: 'shop-eu', profiles: { default: { region: 'na' }, 'shop-eu': { region: 'eu' } } }));
    expect(savedProfileNames(dir)).toEqual(['default', 'shop-eu']);
  });

  it('completes nothing without a config file, or with a broken one', () => {
    expect(savedProfileNames(join(work, 'missing'))).toEqual([]);
    const dir = join(work, 'broken');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'config.json'), '{"profiles": {"half');
    expect(savedProfileNames(dir)).toEqual([]);
    writeFileSync(join(dir, 'config.json'), '{"currentProfile": "x"}');
    expect(savedProfileNames(dir)).toEqual([]);
  });
});
