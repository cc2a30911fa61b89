import type { Command } from '@commander-js/extra-typings';
import { loadSchemaCatalog, operationSchemas } from '../../../core/catalog/schemas.js';
import type { JsonObject } from '../../../core/catalog/swagger.js';
import type { OperationSpec } from '../../../core/catalog/types.js';
import { UsageError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import { resolveOperation } from '../shared/operation.js';
import { bodyTree } from './body-tree.js';
import { environment } from '../shared/help.js';

export interface DescribeOptions {
  operation: string;
  /** Print the request body's JSON Schema (self-contained) instead of the description. */
  schema?: boolean | undefined;
  /** Print an example request body that fits the schema instead of the description. */
  example?: boolean | undefined;
}

/** The request body's schema and its model's definitions, for the tree; absent when the schema catalog has none. */
export interface BodyModel {
  schema: JsonObject;
  definitions: Record<string, JsonObject>;
}

export function register(ops: Command, context: CommandContext): void {
  ops
    .command('describe')
    .description('show one operation: method, path, parameters, body fields, rate limit, pagination, token needs, roles')
    .argument('<operation>', 'operationId or <model>.<operationId>')
    .option('--schema', "print the request body's JSON Schema (only the definitions it uses) as JSON")
    .option('--example', 'print an example request body that fits the model (its sandbox example when it has one)')
    .addHelpText('after', `
The body's fields print as a tree: * required, type, format, enum values; nested objects indented.

Examples:
  spapi ops describe ordersV0.getOrders
  spapi ops describe createReport -o json
  spapi ops describe reports_2021-06-30.createReport --example > report.json
  spapi ops describe reports_2021-06-30.createReport --schema${environment(['SPAPI_CONFIG_DIR'], 'the catalog `spapi catalog update` wrote there wins over the built-in one')}`)
    .action(async (operation, flags) => run(context, { operation, ...flags }));
}

/** The terminal form: one block of facts, parameters last. */
export function describeText(name: string, spec: OperationSpec, body?: BodyModel): string {
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
  lines.push(...bodyLines(spec, body));
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

/** `body: none`, or the body's line and its fields as a tree (the same `*` marks required). */
function bodyLines(spec: OperationSpec, body: BodyModel | undefined): string[] {
  if (!spec.body) return ['  body: none'];
  const presence = spec.bodyRequired ? 'JSON, required' : 'JSON, optional';
  if (!body) return [`  body: ${presence} (its fields: not in spapi's schema catalog)`];
  const tree = bodyTree(body.schema, body.definitions);
  return [`  body: ${presence}, ${tree.root}`, ...tree.fields.map((line) => `    ${line}`)];
}

/** The SP-API roles line: the app needs any one of them (Amazon's "Required roles"). */
function rolesText(spec: OperationSpec): string {
  if (spec.grantlessScope) return 'none (grantless)';
  if (spec.roles.length === 0) return "unknown (not in spapi's role table; see Amazon's role mappings)";
  return `${spec.roles.join(', ')} (any one)`;
}

/** `spapi ops describe <operation>`: everything the catalog knows about one operation. */
export async function run({ factory }: CommandContext, options: DescribeOptions): Promise<void> {
  if (options.schema && options.example) throw new UsageError('--schema and --example print different things: pick one');
  const { spec, name } = resolveOperation(factory, options.operation);
  if (options.schema || options.example) {
    await printBodyDocument(factory, name, spec, options.schema ? 'schema' : 'example');
    return;
  }
  // The schema catalog is read for the terminal form only: -o json prints the catalog entry.
  await factory.printer('record').record({ name, ...spec }, { human: () => describeText(name, spec, bodyModel(name, spec)) });
}

function bodyModel(name: string, spec: OperationSpec): BodyModel | undefined {
  if (!spec.body) return undefined;
  const catalog = loadSchemaCatalog();
  const schemas = operationSchemas(name, catalog);
  return schemas?.body ? { schema: schemas.body, definitions: catalog.models[schemas.model]?.definitions ?? {} } : undefined;
}

/** --schema or --example: one JSON document on stdout, whatever the terminal (pretty on one). */
async function printBodyDocument(factory: CommandContext['factory'], name: string, spec: OperationSpec, what: 'schema' | 'example'): Promise<void> {
  if (!spec.body) throw new UsageError(`${name} takes no body: --${what} is for operations with a request body`, { hint: `spapi ops describe ${name} shows its parameters` });
  const printer = factory.printer('raw');
  if (printer.format !== 'json') throw new UsageError(`--${what} prints JSON: drop -o ${printer.format}`);
  const { bodySchema, exampleBody } = await import('../../../core/catalog/body-check.js');
  const notInCatalog = (): UsageError => new UsageError(`${name} is not in spapi's schema catalog (a newer catalog from spapi catalog update?): no body schema to print`);
  if (what === 'schema') {
    const schema = bodySchema(name);
    if (!schema) throw notInCatalog();
    printer.raw(JSON.stringify(schema));
    return;
  }
  const example = exampleBody(name, undefined, { now: factory.clock.now().getTime() });
  if (!example) throw notInCatalog();
  factory.io.err(example.source === 'model' ? `the example body of ${name}'s model` : `a body made from ${name}'s schema, every optional field filled`);
  printer.raw(JSON.stringify(example.value));
}
