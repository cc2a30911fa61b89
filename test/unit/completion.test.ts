import { describe, expect, it } from 'vitest';
import type { Factory } from '../../src/cli/factory.js';
import { buildProgram } from '../../src/cli/program.js';
import { complete, type CompletionContext } from '../../src/cli/completion/candidates.js';
import { operationNames } from '../../src/cli/completion/operation-names.js';
import { commandTree, type CommandNode } from '../../src/cli/completion/tree.js';
import { loadCatalog } from '../../src/core/catalog/load.js';
import type { OperationSpec } from '../../src/core/catalog/types.js';
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
const context: CompletionContext = { commands: tree, operations: OPERATIONS, marketplaces: MARKETPLACES.map((m) => m.code) };

const GLOBAL_LONG = ['--profile', '--region', '--marketplace', '--output', '--client-id', '--sandbox', '--max-attempts', '--max-wait', '--ratelimit-store', '--log-file', '--debug'];
const CALL_LONG = ['--param', '--body', '--no-validate', '--header', '--paginate', '--slurp', '--max-items', '--starting-token', '--data-elements', '--no-rdt', '--dry-run', '--include', '--each', '--input', '--each-param', '--concurrency', '--fail-fast', '--resume', '--help'];

// [command line after `spapi` (the last word is the one being completed), exact candidates]
const cases: Array<[string[], string[]]> = [
  [[''], ['call', 'ops', 'catalog', 'auth', 'sellers', 'orders', 'reports', 'datakiosk', 'feeds', 'quota', 'tv-check', 'emulator', 'help']],
  [[], ['call', 'ops', 'catalog', 'auth', 'sellers', 'orders', 'reports', 'datakiosk', 'feeds', 'quota', 'tv-check', 'emulator', 'help']],
  [['o'], ['ops', 'orders']],
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
];

describe('complete', () => {
  it.each(cases)('spapi %j', (words, expected) => {
    expect(complete(words, context)).toEqual(expected);
  });

  it('reads the operation list only when an operation name is being completed', () => {
    let reads = 0;
    const lazy: CompletionContext = { ...context, operations: () => (reads++, OPERATIONS) };
    complete(['orders', 'l'], lazy);
    complete(['--region', ''], lazy);
    complete(['call', '--pa'], lazy);
    complete(['call', '-p', ''], lazy);
    expect(reads).toBe(0);
    expect(complete(['call', 'getM'], lazy)).toEqual(['getMarketplaceParticipations']);
    expect(reads).toBe(1);
  });

  it('follows the tree it is given (nothing is hard-wired to spapi)', () => {
    const toy: CommandNode = {
      name: 'toy', aliases: [], args: [],
      flags: [{ names: ['--color', '-c'], takesValue: true, choices: ['red', 'blue'] }],
      commands: [{ name: 'paint', aliases: ['p'], args: ['operation'], flags: [], commands: [] }],
    };
    const ctx: CompletionContext = { commands: toy, operations: ['op1', 'op2'], marketplaces: [] };
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
