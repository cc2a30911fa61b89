import type { Command } from '@commander-js/extra-typings';
import type { OperationSpec } from '../../../core/catalog/types.js';
import type { CommandContext } from '../../command.js';
import { resolveOperation } from '../shared/operation.js';

export interface DescribeOptions {
  operation: string;
}

export function register(ops: Command, context: CommandContext): void {
  ops
    .command('describe')
    .description('show one operation: method, path, parameters, rate limit, pagination, token needs, roles')
    .argument('<operation>', 'operationId or <model>.<operationId>')
    .addHelpText('after', `
Examples:
  spapi ops describe ordersV0.getOrders
  spapi ops describe createReport -o json`)
    .action(async (operation) => run(context, { operation }));
}

/** The terminal form: one block of facts, parameters last. */
export function describeText(name: string, spec: OperationSpec): string {
  const lines = [
    `${name}${spec.deprecated ? '  (deprecated)' : ''}${spec.sandboxOnly ? '  (sandbox only)' : ''}`,
    `  ${spec.method} ${spec.path}`,
    `  API: ${spec.family} ${spec.version}`,
    `  rate: ${spec.rate === null ? 'unknown (paced at 1 req/s until Amazon reports the plan)' : `${spec.rate} req/s, burst ${spec.burst}`}`,
  ];
  if (spec.pagination) {
    const where = spec.pagination.in === 'body' ? 'body' : 'query';
    lines.push(`  pagination: ${spec.pagination.request} (${where})${spec.pagination.response ? ` ← ${spec.pagination.response}` : ''}${spec.pagination.tokenAlone ? ', token sent alone' : ''}`);
  }
  if (spec.grantlessScope) lines.push(`  grantless: scope ${spec.grantlessScope}`);
  if (spec.restricted) lines.push('  restricted: needs a Restricted Data Token (spapi gets one; --data-elements for PII)');
  lines.push(`  roles: ${rolesText(spec)}`);
  lines.push(`  rows: ${spec.rows === null ? 'the whole body is one row' : spec.rows === '' ? 'the body is the list' : spec.rows} (what -o table|csv|ndjson prints)`);
  lines.push(`  body: ${spec.body ? (spec.bodyRequired ? 'JSON, required' : 'JSON, optional') : 'none'}`);
  lines.push('  parameters:');
  if (spec.params.length === 0) lines.push('    (none)');
  for (const p of spec.params) {
    const type = p.type === 'array' ? `array of ${p.items ?? 'string'}${p.collectionFormat === 'multi' ? ' (repeat -p)' : ' (comma-separated)'}` : p.type;
    const extras = [
      p.format === 'date-time' ? 'date-time: ISO 8601, a date, or an age like 7d' : p.format,
      p.enum ? `one of ${p.enum.join('|')}` : undefined,
      p.itemsEnum ? `items ${p.itemsEnum.join('|')}` : undefined,
      p.minimum !== undefined ? `min ${p.minimum}` : undefined,
      p.maximum !== undefined ? `max ${p.maximum}` : undefined,
      p.maxItems !== undefined ? `at most ${p.maxItems}` : undefined,
      p.greedy ? 'may contain /' : undefined,
    ].filter(Boolean);
    lines.push(`    ${p.required ? '*' : ' '} ${p.name} (${p.in}, ${type})${extras.length ? `  ${extras.join('; ')}` : ''}`);
  }
  lines.push('  (* required)');
  return `${lines.join('\n')}\n`;
}

/** The SP-API roles line: the app needs any one of them (Amazon's "Required roles"). */
function rolesText(spec: OperationSpec): string {
  if (spec.grantlessScope) return 'none (grantless)';
  if (spec.roles.length === 0) return "unknown (not in spapi's role table; see Amazon's role mappings)";
  return `${spec.roles.join(', ')} (any one)`;
}

/** `spapi ops describe <operation>`: everything the catalog knows about one operation. */
export async function run({ factory }: CommandContext, options: DescribeOptions): Promise<void> {
  const { spec, name } = resolveOperation(factory, options.operation);
  await factory.printer('record').record({ name, ...spec }, { human: () => describeText(name, spec) });
}
