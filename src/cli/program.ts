import { Command, CommanderError, Option } from '@commander-js/extra-typings';
import type { CommandContext, CommandEntry } from './command.js';
import { EXIT_CODES } from './exit-codes.js';
import type { Factory } from './factory.js';
import { OUTPUT_FORMATS } from './output/format.js';
import { spapiVersion } from './version.js';

const HELP_FOOTER = `
Environment: SPAPI_PROFILE, SPAPI_REGION, SPAPI_APP_ID, SPAPI_CLIENT_ID, SPAPI_CLIENT_SECRET, SPAPI_REFRESH_TOKEN,
SPAPI_ENDPOINT, SPAPI_LWA_ENDPOINT, SPAPI_CONSENT_URL, SPAPI_CONFIG_DIR, SPAPI_SECRET_STORE, SPAPI_TOKEN_CACHE,
SPAPI_DEBUG, SPAPI_RATELIMIT_STORE, NO_COLOR.
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
  { name: 'emulator', description: 'run the local SP-API + Login with Amazon + consent page emulator on loopback until Ctrl-C', load: () => import('./commands/emulator.js') },
  { name: 'completion', description: 'print the bash, zsh or fish completion script', load: () => import('./commands/completion.js') },
];

function rootCommand(factory: Factory) {
  return new Command('spapi')
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
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => factory.io.out(text),
      writeErr: (text) => factory.io.err(text.replace(/\n$/, '')),
      outputError: (text, write) => write(`spapi: usage: ${text.replace(/^error: /, '').trim()}\nhint: see \`spapi --help\`\n`),
    });
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
  const program = rootCommand(factory);
  program.hook('preAction', (root) => {
    factory.globals = root.opts();
    factory.rateLimitStore();
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
