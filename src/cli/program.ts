import { Command, CommanderError, Option, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { didYouMean, didYouMeanSuffix } from '../core/did-you-mean.js';
import type { CommandContext, CommandEntry } from './command.js';
import { EXIT_CODES } from './exit-codes.js';
import type { Factory } from './factory.js';
import { OUTPUT_FORMATS } from './output/format.js';
import { spapiVersion } from './version.js';

const HELP_FOOTER = `
Run \`spapi <command> --help\` for a command's flags, examples and the variables it reads.

Examples:
  spapi auth login --marketplace DE --app-id amzn1.sp.solution.1234 --redirect-uri https://example.com/spapi-relay
  spapi orders list --marketplace DE --created-after 7d
  spapi call ordersV0.getOrders --marketplace US -p MarketplaceIds=ATVPDKIKX0DER -p CreatedAfter=7d --paginate
  spapi emulator

Environment: SPAPI_PROFILE, SPAPI_REGION, SPAPI_APP_ID, SPAPI_CLIENT_ID, SPAPI_CLIENT_SECRET, SPAPI_REFRESH_TOKEN,
SPAPI_ENDPOINT, SPAPI_LWA_ENDPOINT, SPAPI_CONSENT_URL, SPAPI_CONFIG_DIR, SPAPI_SECRET_STORE, SPAPI_TOKEN_CACHE,
SPAPI_DEBUG, SPAPI_RATELIMIT_STORE, SPAPI_LOG_FILE, SPAPI_LOG_MAX_BYTES, SPAPI_LOG_KEEP, SPAPI_BIN (completion), NO_COLOR.
Exit codes: 0 ok, 1 API/network failure or tv-check findings, 2 usage, 3 auth, 4 throttled, 5 report, query or feed failed, 6 pending,
70 internal error, 130 interrupted.`;

/** The top-level commands. Only the one on the command line is imported, so `--help` stays fast. */
export const COMMANDS: readonly CommandEntry[] = [
  { name: 'call', description: 'call any SP-API operation from the catalog', load: () => import('./commands/call.js') },
  { name: 'ops', description: 'browse the operation catalog', load: () => import('./commands/ops/index.js') },
  { name: 'catalog', description: "the operation catalog generated from Amazon's models", load: () => import('./commands/catalog/index.js') },
  { name: 'auth', description: 'authorize selling partners and manage profiles and their secrets', load: () => import('./commands/auth/index.js') },
  { name: 'sellers', description: 'Sellers API', load: () => import('./commands/sellers/index.js') },
  { name: 'orders', description: 'Orders API', load: () => import('./commands/orders/index.js') },
  { name: 'reports', description: 'reports: create, wait, and stream the document in one command', load: () => import('./commands/reports/index.js') },
  { name: 'datakiosk', description: 'Data Kiosk: run a GraphQL query and stream its JSON Lines result', load: () => import('./commands/datakiosk/index.js') },
  { name: 'feeds', description: 'feeds: upload a file, submit it, and summarise its processing report in one command', load: () => import('./commands/feeds/index.js') },
  { name: 'quota', description: 'the rate-limit buckets in the store in use: rate, burst, tokens now, next free slot', load: () => import('./commands/quota.js') },
  { name: 'tv-check', description: "check the repository against Amazon's Technical Validation and data-protection rules, for CI", load: () => import('./commands/tv-check/index.js') },
  { name: 'doctor', description: 'check Node, the keychain, every profile (secrets, token refresh, region, a bare 403), the clock and the rate-limit store, each problem with its fix', load: () => import('./commands/doctor.js') },
  { name: 'emulator', description: 'run the local SP-API + Login with Amazon + consent page emulator on loopback until Ctrl-C', load: () => import('./commands/emulator.js') },
  { name: 'demo', description: 'run the main job end to end against the built-in emulator, in a temporary config dir', load: () => import('./commands/demo.js') },
  { name: 'completion', description: 'print the bash, zsh or fish completion script', load: () => import('./commands/completion.js') },
];

function rootCommand(factory: Factory, argv: readonly string[]) {
  const program = new Command('spapi')
    .description("The command line for Amazon's Selling Partner API")
    .version(spapiVersion(), '-V, --version')
    .addOption(new Option('--profile <name>', 'profile to use (env SPAPI_PROFILE)'))
    .addOption(new Option('--region <region>', 'SP-API region (env SPAPI_REGION)').choices(['na', 'eu', 'fe'] as const))
    .addOption(new Option('--marketplace <code|id>', 'marketplace, e.g. US, DE, JP or A1PA6795UKMFR9; implies the region'))
    .addOption(new Option('-o, --output <format>', 'json, ndjson, table or csv (default: table on a terminal; in a pipe one JSON record a line for lists, else JSON)').choices(OUTPUT_FORMATS))
    .addOption(new Option('--client-id <id>', 'LWA client id (env SPAPI_CLIENT_ID); secrets only through env or the keychain'))
    .addOption(new Option('--sandbox', "use Amazon's sandbox endpoint of the region (SPAPI_ENDPOINT wins over it)"))
    .addOption(new Option('--max-attempts <n>', 'attempts per request on 429/5xx (default 5)'))
    .addOption(new Option('--max-wait <duration>', 'longest total wait for quota and retries, e.g. 90s, 10m'))
    .addOption(new Option('--ratelimit-store <url>', 'keep the rate-limit buckets in Redis, shared by a fleet: redis://[user:pass@]host:port[/db] (env SPAPI_RATELIMIT_STORE)'))
    .addOption(new Option('--log-file <file>', 'append one JSON line per SP-API request to this file (env SPAPI_LOG_FILE; no tokens, bodies or query values)'))
    .addOption(new Option('--debug', 'redacted HTTP trace and stack traces on stderr (env SPAPI_DEBUG=1)'))
    .addHelpText('after', HELP_FOOTER)
    // Subcommand help lists these too, so `spapi call --help` shows --region, --marketplace and -o.
    .configureHelp({ showGlobalOptions: true })
    // Suggestions come from usageLine (core/did-you-mean, as for operations and parameters), on the error's own line.
    .showSuggestionAfterError(false)
    .exitOverride();
  // Before any subcommand exists: they share this output configuration.
  program.configureOutput({
    writeOut: (text) => factory.io.out(text),
    writeErr: (text) => factory.io.err(text.replace(/\n$/, '')),
    outputError: (text, write) => write(usageLine(program, argv, text)),
  });
  return program;
}

interface Reached {
  command: CommandUnknownOpts;
  /** The first word that names no subcommand of a command that has some. */
  unknown?: string;
  /** Whether the words went through `help` (`spapi help auth login`). */
  help: boolean;
}

/** How far the words go down the command tree, skipping flags and their values. */
function reach(program: CommandUnknownOpts, argv: readonly string[]): Reached {
  let command = program;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--') break;
    if (word.startsWith('-')) {
      if (!word.includes('=') && takesValue(command, word)) i++;
      continue;
    }
    if (command.commands.length === 0) break;
    const sub = command.commands.find((c) => c.name() === word || c.aliases().includes(word));
    if (sub) command = sub;
    else if (word === 'help') help = true;
    else return { command, unknown: word, help };
  }
  return { command, help };
}

/** The command the words reach, as deep as they name subcommands: `auth logn` → auth, `orders list --x` → orders list. */
export function commandAt(program: CommandUnknownOpts, argv: readonly string[]): CommandUnknownOpts {
  return reach(program, argv).command;
}

function lineage(command: CommandUnknownOpts): CommandUnknownOpts[] {
  const chain: CommandUnknownOpts[] = [];
  for (let c: CommandUnknownOpts | null = command; c; c = c.parent) chain.unshift(c);
  return chain;
}

/** Whether the flag, on this command or one above it, consumes the next word. */
function takesValue(command: CommandUnknownOpts, flag: string): boolean {
  return lineage(command).some((c) => c.options.some((o) => (o.long === flag || o.short === flag) && (o.required || o.optional)));
}

/** `spapi auth login`, `spapi` for the root. */
export function commandPath(command: CommandUnknownOpts): string {
  return ['spapi', ...lineage(command).slice(1).map((c) => c.name())].join(' ');
}

/**
 * commander's usage error as spapi prints every error: one line, a did-you-mean on that line, and a
 * hint naming the help of the command the words reached (`spapi auth --help` for `spapi auth logn`).
 */
export function usageLine(program: CommandUnknownOpts, argv: readonly string[], text: string): string {
  const at = commandAt(program, argv);
  let message = text.replace(/^error: /, '').trim();
  const unknownCommand = /^unknown command '(.*)'$/.exec(message);
  if (unknownCommand) {
    const names = at.createHelp().visibleCommands(at).map((c) => c.name());
    message += didYouMeanSuffix(didYouMean(unknownCommand[1] ?? '', names));
  }
  const unknownOption = /^unknown option '(--[^=']+)(=[^']*)?'$/.exec(message);
  if (unknownOption) {
    const longs = lineage(at).flatMap((c) => c.createHelp().visibleOptions(c).flatMap((o) => (o.long ? [o.long.slice(2)] : [])));
    message += didYouMeanSuffix(didYouMean((unknownOption[1] ?? '').slice(2), longs).map((name) => `--${name}`));
  }
  const badChoice = /^option '(.+?)' argument '(.*)' is invalid\. Allowed choices are (.+)\.$/.exec(message);
  if (badChoice) {
    const [, flags = '', value = '', allowed = ''] = badChoice;
    message = `option '${flags}' argument '${value}' is invalid (allowed: ${allowed})${didYouMeanSuffix(didYouMean(value, allowed.split(', ')))}`;
  }
  return `spapi: usage: ${message}\nhint: see \`${commandPath(at)} --help\`\n`;
}

/**
 * `spapi help <words>` like `spapi <words> --help`, at any depth (commander reads one word and prints
 * the root help for an unknown one): the help of the command named, or the unknown-command error.
 */
function helpTopic(program: CommandUnknownOpts, argv: readonly string[]): void {
  const { command, unknown, help } = reach(program, argv);
  if (!help) return;
  if (unknown !== undefined) command.error(`unknown command '${unknown}'`, { code: 'commander.unknownCommand', exitCode: EXIT_CODES.usage });
  if (command !== program) command.help();
}

/**
 * The top-level command the words name, skipping global flags and their values (read from the
 * program's own option definitions); `help <command>` names the command after it.
 */
export function targetOf(argv: readonly string[], program: { options: readonly { long?: string | undefined; short?: string | undefined; required: boolean; optional: boolean }[] }): string | undefined {
  const takesValue = new Set(program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.long, o.short]).filter(Boolean));
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--') return argv[i + 1];
    if (word.startsWith('-')) {
      if (!word.includes('=') && takesValue.has(word)) i++;
      continue;
    }
    if (word === 'help') continue;
    return word;
  }
  return undefined;
}

/**
 * The commander tree: every top-level command with its description; the one `argv` names (or all,
 * for completion) also with its flags and subcommands, loaded from its module.
 */
export async function buildProgram(context: CommandContext, options: { all?: boolean } = {}) {
  const { factory } = context;
  const program = rootCommand(factory, context.argv);
  // The store URL is checked where a limiter is made (Factory.rateLimiter), before any request:
  // commands that send none (ops, completion, doctor's own report of it) are not stopped by it.
  program.hook('preAction', (root) => {
    factory.globals = root.opts();
  });
  const target = targetOf(context.argv, program);
  for (const entry of COMMANDS) {
    const node = program.command(entry.name).description(entry.description);
    if (options.all || entry.name === target) (await entry.load()).register(node, context);
  }
  // Hidden: the shell stubs in completions/ run `spapi __complete -- <words...>` on every TAB.
  // After `--` commander passes the words through verbatim, flags included.
  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .helpOption(false)
    .allowUnknownOption()
    .action(async (words) => {
      const complete = await import('./completion/command.js');
      // Only the top-level command the words name needs its flags and verbs: loading all of
      // them would cost every TAB ~90 ms.
      const full = await buildProgram({ ...context, argv: words });
      await complete.run(context, full, words);
    });
  return program;
}

export async function runProgram(argv: string[], factory: Factory, signal: AbortSignal): Promise<number> {
  const program = await buildProgram({ factory, signal, argv });
  try {
    helpTopic(program, argv);
    await program.parseAsync(argv, { from: 'user' });
    return EXIT_CODES.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_CODES.ok;
      return error.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
    }
    throw error;
  }
}
