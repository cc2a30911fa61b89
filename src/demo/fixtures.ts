import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The input files the demo's steps read, all inside the demo's temporary directory. */
export interface DemoFiles {
  salesQuery: string;
  inventoryFeed: string;
  /** The example app of examples/tv-check-app, its attestations re-dated as of yesterday. */
  exampleApp: string;
  /** The same app with a leaked refresh token planted in it. */
  leakyApp: string;
}

/** `offset` days from now as YYYY-MM-DD (UTC). */
export function isoDay(offset: number, now = Date.now()): string {
  return new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
}

/**
 * examples/tv-check-app as the build bundled it (scripts/copy-assets.mjs): a JSON map of relative
 * path → text. A folder in the package would lose its .gitignore (npm never packs one, and applies
 * its rules), and tv-check judges that file.
 */
function exampleAppFiles(): Record<string, string> {
  return JSON.parse(readFileSync(new URL('./example-app.json', import.meta.url), 'utf8')) as Record<string, string>;
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const full = join(root, ...path.split('/'));
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

/** Writes the demo's inputs into `dir`. */
export function writeDemoFiles(dir: string, now = Date.now()): DemoFiles {
  const day = (offset: number): string => isoDay(offset, now);
  // The emulator's orders are of the 90 days before it started: the last week always has sales.
  const salesQuery = join(dir, 'sales.graphql');
  writeFileSync(salesQuery, `query {
  analytics_salesAndTraffic_2024_04_24 {
    salesAndTrafficByDate(startDate: "${day(-8)}", endDate: "${day(-1)}", aggregateBy: DAY, marketplaceIds: ["ATVPDKIKX0DER"]) {
      startDate marketplaceId sales { unitsOrdered orderedProductSales { amount currencyCode } } traffic { sessions }
    }
  }
}
`);

  // A JSON_LISTINGS_FEED inventory update of two SKUs, one of which the seller does not have.
  const inventoryFeed = join(dir, 'inventory.json');
  const stock = (messageId: number, sku: string, quantity: number): object => ({
    messageId,
    sku,
    operationType: 'PATCH',
    productType: 'PRODUCT',
    patches: [{ op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT', quantity }] }],
  });
  const feed = { header: { sellerId: 'AEMULATORSELLER', version: '2.0', issueLocale: 'en_US' }, messages: [stock(1, 'EMU-SKU-001', 42), stock(2, 'EMU-SKU-GONE', 5)] };
  writeFileSync(inventoryFeed, `${JSON.stringify(feed, null, 2)}\n`);

  // tv-check reads a repository: the example app, its attestations re-dated as of yesterday (they go
  // stale by design, like the controls they stand for), and a copy with a leaked token planted.
  const app = exampleAppFiles();
  const config = app['spapi.config.json'];
  if (config !== undefined) app['spapi.config.json'] = config.replace(/"\d{4}-\d{2}-\d{2}"/g, `"${day(-1)}"`);
  const exampleApp = join(dir, 'example-app');
  writeTree(exampleApp, app);
  const leakyApp = join(dir, 'leaky-app');
  const fakeToken = `Atzr|IwEB${Array.from({ length: 56 }, (_, i) => 'AbCdEfGhJkLmNpQrStUvWxYz23456789'[(i * 7 + 3) % 32]).join('')}`;
  writeTree(leakyApp, { ...app, 'src/debug-token.ts': `// pasted while debugging\nexport const REFRESH = '${fakeToken}';\n` });
  return { salesQuery, inventoryFeed, exampleApp, leakyApp };
}
