import { pickFormat } from '../../output.js';
import type { CommandContext } from '../../program.js';
import { resolveOperation } from '../shared/operation.js';

/** `spapi ops describe <operation>`: everything the catalog knows about one operation. */
export async function run({ factory }: CommandContext, args: unknown[]): Promise<void> {
  const { io } = factory;
  const { spec, name } = resolveOperation(factory, String(args[0]));
  if (pickFormat(factory.globals.output, io, 'table') !== 'table') {
    io.out(`${JSON.stringify({ name, ...spec }, null, io.stdoutIsTTY ? 2 : undefined)}\n`);
    return;
  }
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
  lines.push(`  body: ${spec.body ? (spec.bodyRequired ? 'JSON, required' : 'JSON, optional') : 'none'}`);
  lines.push('  parameters:');
  if (spec.params.length === 0) lines.push('    (none)');
  for (const p of spec.params) {
    const type = p.type === 'array' ? `array of ${p.items ?? 'string'}${p.collectionFormat === 'multi' ? ' (repeat -p)' : ' (comma-separated)'}` : p.type;
    const extras = [
      p.format,
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
  io.out(`${lines.join('\n')}\n`);
}
