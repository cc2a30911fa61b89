import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Option, type Command } from '@commander-js/extra-typings';
import { writeFileAtomically } from '../../../core/atomic-file.js';
import { FindingsError, SpapiError, UsageError } from '../../../core/errors.js';
import type { FailOn, Report, Rule, TvProfile } from '../../../core/tv-check/types.js';
import { TV_FORMATS, type TvFormat } from '../../../core/tv-check/formats/index.js';
import type { CommandContext } from '../../command.js';
import { collect } from '../shared/flags.js';
import { environment } from '../shared/help.js';

const FORMATS = TV_FORMATS;
const FAIL_ON = ['error', 'warn', 'info', 'never'] as const;
const PRESETS = ['pr', 'release', 'audit'] as const;

export interface TvCheckOptions {
  path: string;
  config?: string | undefined;
  init?: boolean | undefined;
  force?: boolean | undefined;
  preset?: TvProfile | undefined;
  format?: TvFormat | undefined;
  report: string[];
  failOn?: FailOn | undefined;
  baseline?: string | undefined;
  updateBaseline?: boolean | undefined;
  allowBaselineSecrets?: boolean | undefined;
  only: string[];
  skip: string[];
  inlineIgnores: boolean;
  policyPack?: string | undefined;
  import?: string | undefined;
  explain?: string | undefined;
  list?: boolean | undefined;
  width?: number | undefined;
}

export function register(command: Command, context: CommandContext): void {
  command
    .argument('[path]', 'the repository or folder to check', '.')
    .option('--config <file>', 'the project config (default: spapi.config.json in <path>)')
    .option('--init', 'write a commented starter spapi.config.json into <path> and stop')
    .option('--force', 'with --init: overwrite an existing spapi.config.json')
    .addOption(new Option('--preset <preset>', 'pr (attestations warn), release (attestations and dependency advisories are errors), audit (also no inline ignores, no baseline)').choices(PRESETS))
    .addOption(new Option('--format <format>', 'what stdout gets (default: table on a terminal, json in a pipe; -o json|table works too)').choices(FORMATS))
    .option('--report <format=file>', 'also write a format to a file, atomically: --report sarif=tv.sarif --report junit=tv.xml (repeatable)', collect, [] as string[])
    .addOption(new Option('--fail-on <severity>', 'exit 1 when an open finding is at or above this severity (default: tvCheck.failOn, else error)').choices(FAIL_ON))
    .option('--baseline <file>', 'accept the findings whose fingerprints this file lists (made by --update-baseline)')
    .option('--update-baseline', 'write every open finding to the baseline file (--baseline, default .spapi-tv-baseline.json) and exit 0')
    .option('--allow-baseline-secrets', 'let the baseline accept leaked secrets too (they should be rotated instead)')
    .option('--only <ids>', 'run only these rules: TV-CRED-001,TV-SEC-* (repeatable)', collect, [] as string[])
    .option('--skip <ids>', 'do not run these rules (repeatable)', collect, [] as string[])
    .option('--no-inline-ignores', 'ignore `spapi-tv-ignore` comments (audits)')
    .option('--policy-pack <id>', 'the policy pack (default: the config\'s policyPack, else the newest bundled)')
    .option('--import <file>', 'an `npm audit --json` report for TV-SEC-004')
    .option('--explain <id>', 'print what a rule checks, why, and how to fix it')
    .option('--list', 'list every rule')
    .option('--width <columns>', 'the width of the table (default: the terminal\'s, else COLUMNS, else 120)', parseWidth)
    .addHelpText('after', `
Checks the repository (git-tracked files; the folder when it is not a work tree) and
spapi.config.json against Amazon's Technical Validation and Data Protection Policy: secrets
and tokens in code, TLS, plain HTTP, PII and tokens in logs, roles against the operations the
code calls, restricted data tokens, regions, retention, rotation, deprecated operations, and
attestations for what a repository cannot show (attested, not verified).

Exit codes: 0 passed, 1 findings at or above --fail-on, 2 usage or config error, 70 internal error.

Suppressions: a baseline of fingerprints (--baseline), paths in .spapi-tvignore (gitignore
syntax), tvCheck.rules.<ID> {severity, reason, expires} in the config, and inline comments
\`// spapi-tv-ignore TV-DATA-002 -- logs the order id only\` on the line or the line above.

Examples:
  spapi tv-check --init
  spapi tv-check
  spapi tv-check --report sarif=tv.sarif --report junit=tv.xml --format markdown >> "$GITHUB_STEP_SUMMARY"
  spapi tv-check --preset release --import npm-audit.json
  spapi tv-check --explain TV-CRED-001${environment(['SPAPI_CONFIG_DIR', 'SPAPI_SECRET_STORE', 'SPAPI_LOG_FILE', 'NODE_TLS_REJECT_UNAUTHORIZED'], 'what the rules judge besides the repository (the saved profiles, a request log, TLS checks turned off)')}`)
    .action(async (path, options) => run(context, { ...options, path }));
}

function parseReports(values: readonly string[]): Array<{ format: Exclude<TvFormat, 'table'> | 'table'; file: string }> {
  return values.map((value) => {
    const at = value.indexOf('=');
    const format = value.slice(0, at) as TvFormat;
    const file = value.slice(at + 1);
    if (at <= 0 || !file || !FORMATS.includes(format)) {
      throw new UsageError(`--report ${value}: expected <format>=<file> with a format of ${FORMATS.join(', ')}`, { hint: 'e.g. --report sarif=tv.sarif' });
    }
    return { format, file };
  });
}

function parseWidth(value: string): number {
  const width = Number(value);
  if (!Number.isInteger(width) || width < 1) throw new UsageError(`--width ${value}: expected a whole number of columns`, { hint: 'e.g. --width 100; without it the table fits the terminal, else COLUMNS' });
  return width;
}

function splitIds(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(',')).map((id) => id.trim()).filter(Boolean);
}

export async function run({ factory }: CommandContext, options: TvCheckOptions): Promise<void> {
  const root = resolve(options.path);
  if (options.init) return init(factory, root, options.force ?? false);
  const RULES = factory.tvRules ?? (await import('../../../core/tv-check/rules/index.js')).RULES;
  if (options.list || options.explain) return describe(factory, RULES, options);

  const reports = parseReports(options.report);
  const stdoutFormat = chooseTvFormat(options.format, factory.globals.output, factory.io.stdoutIsTTY);
  const { gatherContext } = await import('../../../core/tv-check/gather.js');
  const { runChecks, selectRules } = await import('../../../core/tv-check/run.js');
  const { readBaseline, baselineOf, BASELINE_FILE } = await import('../../../core/tv-check/baseline.js');
  const only = splitIds(options.only);
  const skip = splitIds(options.skip);
  // Before any file is read: a mistyped rule id is a usage error, not an empty run.
  selectRules(RULES, only, skip);
  const { profileFacts } = await import('./profiles.js');
  const { catalog } = factory.catalog();
  const roles = [...new Set(catalog.operations.flatMap((spec) => spec.roles))].sort();
  const context = await gatherContext({
    root,
    ...(options.config ? { configPath: options.config } : {}),
    ...(options.policyPack ? { packId: options.policyPack } : {}),
    ...(options.preset ? { profile: options.preset } : {}),
    ...(options.import ? { importPath: options.import } : {}),
    now: factory.clock.now(),
    operations: catalog.operations,
    roles,
    profiles: await profileFacts(factory, root),
    env: factory.env,
  });
  const audit = context.profile === 'audit';
  const baselinePath = options.baseline ?? (options.updateBaseline ? join(root, BASELINE_FILE) : undefined);
  const previous = baselinePath && !(options.updateBaseline && !existsSync(baselinePath)) ? readBaseline(baselinePath) : undefined;
  const failOn = options.failOn ?? context.config?.value.tvCheck?.failOn ?? 'error';
  const { spapiVersion } = await import('../../version.js');
  const report = runChecks(context, {
    rules: RULES,
    failOn,
    only,
    skip,
    ...(previous && !audit && !options.updateBaseline ? { baseline: previous.entries } : {}),
    allowBaselineSecrets: options.allowBaselineSecrets ?? false,
    inlineIgnores: options.inlineIgnores && !audit,
    version: spapiVersion(),
  });

  // A file gets no colour codes, whatever the terminal; stdout's table follows the terminal.
  for (const { format, file } of reports) writeOut(file, await render(format, report, RULES, { color: false, width: options.width }));
  factory.io.out(await render(stdoutFormat, report, RULES, { color: factory.io.stdoutIsTTY && factory.io.color, width: options.width ?? factory.io.width }));
  if (options.updateBaseline && baselinePath) {
    const baseline = baselineOf(report, previous, options.allowBaselineSecrets ?? false, context.now);
    writeOut(baselinePath, `${JSON.stringify(baseline, null, 2)}\n`);
    factory.io.err(`spapi: wrote ${baseline.entries.length} fingerprints to ${baselinePath}`);
    return;
  }
  if (report.summary.result === 'failed') {
    const { failsAt } = await import('../../../core/tv-check/fail-on.js');
    const failing = report.checks.filter((check) => check.findings.some((finding) => failsAt(finding, failOn))).map((check) => check.meta.id);
    throw new FindingsError(`${failing.length} check${failing.length === 1 ? '' : 's'} failed at --fail-on ${failOn}: ${failing.join(', ')}`, 'fix them, or suppress each with a reason (see `spapi tv-check --help`)');
  }
}


/** --format wins, then -o json|table, then the one rule: a table on a terminal, JSON in a pipe. */
function chooseTvFormat(format: TvFormat | undefined, output: string | undefined, stdoutIsTTY: boolean): TvFormat {
  if (format) return format;
  if (output === 'json' || output === 'table') return output;
  if (output) throw new UsageError(`tv-check prints ${FORMATS.join(', ')}; -o ${output} is not one of them`, { hint: 'use --format' });
  return stdoutIsTTY ? 'table' : 'json';
}

async function render(format: TvFormat, report: Report, rules: readonly Rule[], table: { color: boolean; width: number | undefined }): Promise<string> {
  if (format === 'table') {
    const { renderTable } = await import('./table.js');
    return renderTable(report, table);
  }
  const { renderReport } = await import('../../../core/tv-check/formats/index.js');
  const text = renderReport(format, report, rules.map((rule) => rule.meta));
  return text.endsWith('\n') ? text : `${text}\n`;
}

function writeOut(file: string, text: string): void {
  try {
    writeFileAtomically(file, text);
  } catch (error) {
    throw new SpapiError('internal', `cannot write ${file}: ${(error as Error).message}`);
  }
}

async function init(factory: CommandContext['factory'], root: string, force: boolean): Promise<void> {
  const { starterConfigText, STARTER_FILE_NAME } = await import('../../../core/tv-check/init.js');
  const file = join(root, STARTER_FILE_NAME);
  if (existsSync(file) && !force) throw new UsageError(`${file} exists`, { hint: 'edit it, or pass --force to overwrite it' });
  writeOut(file, starterConfigText({ today: factory.clock.now() }));
  factory.io.err(`spapi: wrote ${file}: fill in your app's ids, roles and attestations, then run \`spapi tv-check\``);
}

async function describe(factory: CommandContext['factory'], rules: readonly Rule[], options: TvCheckOptions): Promise<void> {
  if (options.explain) {
    const rule = rules.find((entry) => entry.meta.id.toLowerCase() === options.explain?.toLowerCase());
    if (!rule) throw new UsageError(`--explain ${options.explain}: no rule has that id`, { hint: 'see spapi tv-check --list' });
    const { meta } = rule;
    factory.io.out(`${meta.id}  ${meta.title}\nseverity ${meta.severity} · mode ${meta.mode} · category ${meta.category}\n\n${meta.description}\n\nFix: ${meta.fix}\n${meta.references.length ? `\nReferences:\n${meta.references.map((ref) => `  ${ref}`).join('\n')}\n` : ''}`);
    return;
  }
  const rows = rules.map(({ meta }) => ({ id: meta.id, severity: meta.severity, mode: meta.mode, title: meta.title }));
  await factory.printer('list').list(rows, {
    columns: [
      { header: 'ID', path: 'id', role: 'key' },
      { header: 'SEVERITY', path: 'severity' },
      { header: 'MODE', path: 'mode' },
      { header: 'TITLE', path: 'title' },
    ],
  });
}
