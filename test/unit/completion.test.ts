import { describe, expect, it } from 'vitest';
import type { Factory } from '../../src/cli/factory.js';
import { buildProgram } from '../../src/cli/program.js';
import { complete, type CompletionContext } from '../../src/cli/completion/candidates.js';
import { operationNames } from '../../src/cli/completion/operation-names.js';
import { commandTree, type CommandNode } from '../../src/cli/completion/tree.js';
import { loadCatalog } from '../../src/core/catalog/load.js';
import type { OperationSpec, ParamSpec } from '../../src/core/catalog/types.js';
import { MARKETPLACES } from '../../src/core/regions.js';

// The real commander tree: completion must follow the program, not a list kept beside it.
// buildProgram only touches the factory when a command runs, so an empty one is enough here.
const program = await buildProgram({ factory: {} as Factory, signal: new AbortController().signal, argv: [] }, { all: true });
const tree = commandTree(program);

const OPERATIONS = [
  'getMarketplaceParticipations',
  'getOrderAddress',
  'ordersV0.getOrder',
  'ordersV0.getOrderAddress',
  'ordersV0.getOrders',
  'sellers.getMarketplaceParticipations',
  'shippingV2.linkCarrierAccount:POST',
  'shippingV2.linkCarrierAccount:PUT',
];
// Parameters as the catalog has them: an item enum, values only the description lists, a plain
// string, a boolean, a multi array and a path parameter.
const PARAMS: Record<string, ParamSpec[]> = {
  'ordersV0.getOrders': [
    { name: 'CreatedAfter', in: 'query', required: false, type: 'string', format: 'date-time' },
    { name: 'MarketplaceIds', in: 'query', required: true, type: 'array', items: 'string', collectionFormat: 'csv' },
    { name: 'FulfillmentChannels', in: 'query', required: false, type: 'array', items: 'string', values: ['AFN', 'MFN'], collectionFormat: 'csv' },
    { name: 'OrderStatuses', in: 'query', required: false, type: 'array', items: 'string', itemsEnum: ['Pending', 'Shipped', 'Canceled'], collectionFormat: 'csv' },
    { name: 'IsISPU', in: 'query', required: false, type: 'boolean' },
    { name: 'Tags', in: 'query', required: false, type: 'array', items: 'string', itemsEnum: ['a', 'b'], collectionFormat: 'multi' },
  ],
  'ordersV0.getOrder': [{ name: 'orderId', in: 'path', required: true, type: 'string' }],
  'getMarketplaceParticipations': [],
};
const PROFILES = ['default', 'shop-eu', 'shop-us'];
const REPORT_TYPES = ['GET_MERCHANT_LISTINGS_ALL_DATA', 'GET_MERCHANT_LISTINGS_DATA', 'GET_FLAT_FILE_OPEN_LISTINGS_DATA'];
const FEED_TYPES = ['JSON_LISTINGS_FEED', 'POST_ORDER_FULFILLMENT_DATA', 'POST_ORDER_ACKNOWLEDGEMENT_DATA'];
const context: CompletionContext = {
  commands: tree,
  operations: OPERATIONS,
  parameters: (operation) => PARAMS[operation],
  marketplaces: MARKETPLACES.map((m) => m.code),
  profiles: PROFILES,
  reportTypes: REPORT_TYPES,
  feedTypes: FEED_TYPES,
};
const TOP = ['call', 'ops', 'catalog', 'auth', 'sellers', 'orders', 'reports', 'datakiosk', 'feeds', 'quota', 'tv-check', 'doctor', 'emulator', 'demo', 'completion', 'help'];

const GLOBAL_LONG = ['--profile', '--region', '--marketplace', '--output', '--client-id', '--sandbox', '--max-attempts', '--max-wait', '--ratelimit-store', '--log-file', '--debug'];
const CALL_LONG = ['--param', '--body', '--no-validate', '--header', '--paginate', '--slurp', '--max-items', '--starting-token', '--data-elements', '--no-rdt', '--dry-run', '--include', '--each', '--input', '--each-param', '--concurrency', '--fail-fast', '--resume', '--help'];

// [command line after `spapi` (the last word is the one being completed), exact candidates]
const cases: Array<[string[], string[]]> = [
  [[''], TOP],
  [[], TOP],
  [['o'], ['ops', 'orders']],
  [['c'], ['call', 'catalog', 'completion']],
  [['orders', ''], ['list', 'get', 'help']],
  [['orders', 'l'], ['list']],
  [['ops', 'd'], ['describe']],
  [['catalog', ''], ['update', 'help']],
  [['auth', ''], ['login', 'add', 'status', 'logout', 'token', 'switch', 'rotate-secret', 'audit', 'help']],
  [['auth', 'audit', '--s'], ['--since', '--sandbox']],
  [['--log'], ['--log-file']],
  [['nope', ''], []],
  [['call', 'getMarketpl'], ['getMarketplaceParticipations']],
  [['call', 'ordersV0.getOrd'], ['ordersV0.getOrder', 'ordersV0.getOrderAddress', 'ordersV0.getOrders']],
  [['call', 'shippingV2.linkCarrierAccount:P'], ['shippingV2.linkCarrierAccount:POST', 'shippingV2.linkCarrierAccount:PUT']],
  [['call', ''], OPERATIONS],
  [['call', 'zzz'], []],
  [['call', 'getOrderAddress', ''], []],
  [['call', '--region', 'eu', 'getM'], ['getMarketplaceParticipations']],
  [['--region', 'na', 'call', '-p', 'x=1', 'getM'], ['getMarketplaceParticipations']],
  [['call', '--', 'getM'], ['getMarketplaceParticipations']],
  [['call', '--', '--'], []],
  [['ops', 'describe', 'ordersV0.getOrders'], ['ordersV0.getOrders']],
  [['ops', 'describe', 'ordersV0.getOrders', '--s'], ['--schema', '--sandbox']],
  [['ops', 'describe', '--e'], ['--example']],
  [['ops', 'list', ''], []],
  [['--region', ''], ['na', 'eu', 'fe']],
  [['--region', 'e'], ['eu']],
  [['--region=e'], ['--region=eu']],
  [['orders', 'list', '--region', 'f'], ['fe']],
  [['--marketplace', 'D'], ['DE']],
  [['call', 'x', '--marketplace', 'U'], ['US', 'UK']],
  [['--marketplace=J'], ['--marketplace=JP']],
  [['--output', ''], ['json', 'ndjson', 'table', 'csv']],
  [['-o', 'n'], ['ndjson']],
  [['orders', 'list', '-o', 'c'], ['csv']],
  [['--output=t'], ['--output=table']],
  [['-ojson', 'orders', 'l'], ['list']],
  [['--output=json', 'orders', 'l'], ['list']],
  [['--sandbox', 'orders', 'l'], ['list']],
  [['--profile', 'orders', 'l'], []],
  [['--profile', 'work', 'orders', 'l'], ['list']],
  [['--debug='], []],
  [['--sandbox='], []],
  [['--reg'], ['--region']],
  [['--ver'], ['--version']],
  [['call', '--ver'], []],
  [['call', '--he'], ['--header', '--help']],
  [['call', '--pa'], ['--param', '--paginate']],
  [['call', '--ea'], ['--each', '--each-param']],
  [['call', '--no'], ['--no-validate', '--no-rdt']],
  [['call', '-'], ['--param', '-p', '--body', '--no-validate', '--header', '-H', '--paginate', '--slurp', '--max-items', '--starting-token', '--data-elements', '--no-rdt', '--dry-run', '--include', '-i', '--each', '--input', '--each-param', '--concurrency', '--fail-fast', '--resume', '--help', '-h', '--profile', '--region', '--marketplace', '--output', '-o', '--client-id', '--sandbox', '--max-attempts', '--max-wait', '--ratelimit-store', '--log-file', '--debug']],
  [['call', '--'], [...CALL_LONG, ...GLOBAL_LONG]],
  [['orders', 'list', '--c'], ['--created-after', '--created-before', '--client-id']],
  [['orders', 'get', '--a'], ['--api']],
  [['orders', '--a'], []],
  [['--'], ['--version', ...GLOBAL_LONG, '--help']],
  [['help', 'o'], ['ops', 'orders']],
  [['orders', 'help', ''], ['list', 'get']],
  [['__complete', ''], []],
  [['__c'], []],
  // -p on a call line: that operation's parameter names, as Name= (the shell adds no space).
  [['call', 'ordersV0.getOrders', '-p', ''], ['CreatedAfter=', 'MarketplaceIds=', 'FulfillmentChannels=', 'OrderStatuses=', 'IsISPU=', 'Tags=']],
  [['call', 'ordersV0.getOrders', '-p', 'Fu'], ['FulfillmentChannels=']],
  [['call', 'ordersV0.getOrders', '--param', 'Order'], ['OrderStatuses=']],
  [['call', 'ordersV0.getOrders', '--param=Fu'], ['--param=FulfillmentChannels=']],
  [['call', 'ordersV0.getOrder', '-p', ''], ['orderId=']],
  [['call', '--region', 'eu', 'ordersV0.getOrder', '--paginate', '-p', 'o'], ['orderId=']],
  [['call', 'getMarketplaceParticipations', '-p', ''], []],
  // A name already given is not offered again, except arrays (-p may repeat them).
  [['call', 'ordersV0.getOrders', '-p', 'CreatedAfter=7d', '-p', 'MarketplaceIds=X', '-p', 'C'], []],
  [['call', 'ordersV0.getOrders', '--param=CreatedAfter=7d', '-p', 'MarketplaceIds=X', '-p', 'M'], ['MarketplaceIds=']],
  [['call', 'ordersV0.getOrders', '-pCreatedAfter=7d', '--param', 'IsISPU=true', '-p', ''], ['MarketplaceIds=', 'FulfillmentChannels=', 'OrderStatuses=', 'Tags=']],
  // After Name=: the values the model lists (enum, or only in prose), one more after each comma.
  [['call', 'ordersV0.getOrders', '-p', 'FulfillmentChannels='], ['FulfillmentChannels=AFN', 'FulfillmentChannels=MFN']],
  [['call', 'ordersV0.getOrders', '-p', 'FulfillmentChannels=M'], ['FulfillmentChannels=MFN']],
  [['call', 'ordersV0.getOrders', '-p', 'FulfillmentChannels=AFN,'], ['FulfillmentChannels=AFN,MFN']],
  [['call', 'ordersV0.getOrders', '-p', 'OrderStatuses=Pending,Sh'], ['OrderStatuses=Pending,Shipped']],
  [['call', 'ordersV0.getOrders', '-p', 'IsISPU='], ['IsISPU=true', 'IsISPU=false']],
  [['call', 'ordersV0.getOrders', '-p', 'Tags=a,'], []],
  [['call', 'ordersV0.getOrders', '-p', 'Tags='], ['Tags=a', 'Tags=b']],
  [['call', 'ordersV0.getOrders', '-p', 'CreatedAfter='], []],
  [['call', 'ordersV0.getOrders', '-p', 'NoSuchParam='], []],
  // Without an operation, or with one the catalog lacks, -p has nothing to offer.
  [['call', '-p', ''], []],
  [['call', 'nothingLikeThis', '-p', ''], []],
  [['call', 'ordersV0.getOrders', '--each-param', 'Cr'], ['CreatedAfter']],
  // Profiles, report and feed types, shells.
  [['--profile', 'shop'], ['shop-eu', 'shop-us']],
  [['orders', 'list', '--profile', ''], PROFILES],
  [['auth', 'switch', 's'], ['shop-eu', 'shop-us']],
  [['reports', 'create', 'GET_MERCHANT_LISTINGS_'], ['GET_MERCHANT_LISTINGS_ALL_DATA', 'GET_MERCHANT_LISTINGS_DATA']],
  [['reports', 'get', 'GET_FLAT'], ['GET_FLAT_FILE_OPEN_LISTINGS_DATA']],
  [['reports', 'list', '--types', 'GET_MERCHANT_LISTINGS_DATA,GET_MERCHANT'], ['GET_MERCHANT_LISTINGS_DATA,GET_MERCHANT_LISTINGS_ALL_DATA']],
  [['reports', 'create', 'GET_MERCHANT_LISTINGS_DATA', ''], []],
  [['feeds', 'submit', 'POST_ORDER_'], ['POST_ORDER_FULFILLMENT_DATA', 'POST_ORDER_ACKNOWLEDGEMENT_DATA']],
  [['feeds', 'submit', 'JSON_LISTINGS_FEED', ''], []],
  [['feeds', 'list', '--types', 'J'], ['JSON_LISTINGS_FEED']],
  [['completion', ''], ['bash', 'zsh', 'fish']],
  [['completion', 'f'], ['fish']],
  [['reports', 'download', '123', '--report-type', 'GET_MERCHANT_LISTINGS_A'], ['GET_MERCHANT_LISTINGS_ALL_DATA']],
  [['quota', '--operation', 'ordersV0.getOrder'], ['ordersV0.getOrder', 'ordersV0.getOrderAddress', 'ordersV0.getOrders']],
  [['quota', '--operation=sellers.'], ['--operation=sellers.getMarketplaceParticipations']],
];

describe('complete', () => {
  it.each(cases)('spapi %j', (words, expected) => {
    expect(complete(words, context)).toEqual(expected);
  });

  it('reads the operation list, parameters, profiles and types only when that kind of word is completed', () => {
    const reads = { operations: 0, parameters: 0, profiles: 0, reportTypes: 0, feedTypes: 0 };
    const lazy: CompletionContext = {
      ...context,
      operations: () => (reads.operations++, OPERATIONS),
      parameters: (operation) => (reads.parameters++, PARAMS[operation]),
      profiles: () => (reads.profiles++, PROFILES),
      reportTypes: () => (reads.reportTypes++, REPORT_TYPES),
      feedTypes: () => (reads.feedTypes++, FEED_TYPES),
    };
    complete(['orders', 'l'], lazy);
    complete(['--region', ''], lazy);
    complete(['call', '--pa'], lazy);
    complete(['call', '-p', ''], lazy);
    complete(['call', 'ordersV0.getOrders', '-p', 'X=1', '--no-v'], lazy);
    complete(['reports', 'create', 'GET_X', ''], lazy);
    expect(reads).toEqual({ operations: 0, parameters: 0, profiles: 0, reportTypes: 0, feedTypes: 0 });
    expect(complete(['call', 'getM'], lazy)).toEqual(['getMarketplaceParticipations']);
    expect(complete(['call', 'ordersV0.getOrder', '-p', ''], lazy)).toEqual(['orderId=']);
    expect(complete(['--profile', 'd'], lazy)).toEqual(['default']);
    expect(complete(['reports', 'get', 'GET_M'], lazy)).toHaveLength(2);
    expect(complete(['feeds', 'submit', 'J'], lazy)).toEqual(['JSON_LISTINGS_FEED']);
    expect(reads).toEqual({ operations: 1, parameters: 1, profiles: 1, reportTypes: 1, feedTypes: 1 });
  });

  it('follows the tree it is given (nothing is hard-wired to spapi)', () => {
    const toy: CommandNode = {
      name: 'toy', aliases: [], args: [],
      flags: [{ names: ['--color', '-c'], takesValue: true, choices: ['red', 'blue'] }],
      commands: [{ name: 'paint', aliases: ['p'], args: ['operation'], flags: [], commands: [] }],
    };
    const ctx: CompletionContext = { commands: toy, operations: ['op1', 'op2'], parameters: () => undefined, marketplaces: [], profiles: [], reportTypes: [], feedTypes: [] };
    expect(complete(['p', 'op'], ctx)).toEqual(['op1', 'op2']);
    expect(complete(['-c', 'r'], ctx)).toEqual(['red']);
    expect(complete(['paint', '--color', ''], ctx)).toEqual(['red', 'blue']);
  });
});

describe('commandTree', () => {
  it('hides __complete and reads flags, choices and arguments from commander', () => {
    expect(tree.commands.map((c) => c.name)).not.toContain('__complete');
    const region = tree.flags.find((f) => f.names.includes('--region'));
    expect(region).toEqual({ names: ['--region'], takesValue: true, choices: ['na', 'eu', 'fe'] });
    expect(tree.flags.find((f) => f.names.includes('-o'))).toEqual({ names: ['--output', '-o'], takesValue: true, choices: ['json', 'ndjson', 'table', 'csv'] });
    expect(tree.flags.find((f) => f.names.includes('--sandbox'))?.takesValue).toBe(false);
    const call = tree.commands.find((c) => c.name === 'call');
    expect(call?.args).toEqual(['operation']);
    const describeCommand = tree.commands.find((c) => c.name === 'ops')?.commands.find((c) => c.name === 'describe');
    expect(describeCommand?.args).toEqual(['operation']);
  });
});

describe('operationNames', () => {
  function op(model: string, operationId: string, method: OperationSpec['method'] = 'GET'): OperationSpec {
    return {
      model, family: model, version: 'v0', operationId, method, path: `/${model}/${operationId}`,
      params: [], body: false, bodyRequired: false, rate: null, burst: null, pagination: null,
      deprecated: false, grantlessScope: null, restricted: false, sandboxOnly: false,
    };
  }

  it('offers qualified names, unique bare ids, and name:METHOD for a qualified name defined twice', () => {
    const names = operationNames({
      operations: [
        op('ordersV0', 'getOrders'),
        op('vendorOrders', 'getOrders'),
        op('sellers', 'getMarketplaceParticipations'),
        op('shippingV2', 'linkCarrierAccount', 'PUT'),
        op('shippingV2', 'linkCarrierAccount', 'POST'),
      ],
    });
    expect(names).toEqual([
      'getMarketplaceParticipations',
      'ordersV0.getOrders',
      'sellers.getMarketplaceParticipations',
      'shippingV2.linkCarrierAccount:POST',
      'shippingV2.linkCarrierAccount:PUT',
      'vendorOrders.getOrders',
    ]);
  });

  it('covers all 370 operations of the built-in catalog', () => {
    const { catalog } = loadCatalog({ configDir: '/nonexistent-spapi-config' });
    const names = operationNames(catalog);
    const qualified = names.filter((name) => name.includes('.'));
    expect(catalog.operations).toHaveLength(370);
    expect(qualified).toHaveLength(370);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('getMarketplaceParticipations');
    expect(names).toContain('ordersV0.getOrders');
    expect(names).toContain('shippingV2.linkCarrierAccount:PUT');
    // getOrders exists in several APIs: only its qualified forms are offered.
    expect(names).not.toContain('getOrders');
  });
});
