import { Command, CommanderError, Option } from 'commander';
import { EXIT_CODES } from './exit-codes.js';
import type { Factory, GlobalOptions } from './factory.js';
import { OUTPUT_FORMATS } from './output.js';
import { spapiVersion } from './version.js';

/** What a command module exports: it registers its commander node and runs lazily. */
export type CommandContext = { factory: Factory; signal: AbortSignal };

const HELP_FOOTER = `
Environment: SPAPI_PROFILE, SPAPI_REGION, SPAPI_APP_ID, SPAPI_CLIENT_ID, SPAPI_CLIENT_SECRET, SPAPI_REFRESH_TOKEN,
SPAPI_ENDPOINT, SPAPI_LWA_ENDPOINT, SPAPI_CONFIG_DIR, SPAPI_SECRET_STORE, SPAPI_TOKEN_CACHE, SPAPI_DEBUG, NO_COLOR.
Exit codes: 0 ok, 1 API/network failure, 2 usage, 3 auth, 4 throttled, 5 report failed, 6 pending, 130 interrupted.`;

export function buildProgram(context: CommandContext): Command {
  const { factory } = context;
  const program = new Command('spapi')
    .description("The command line for Amazon's Selling Partner API")
    .version(spapiVersion(), '-V, --version')
    .addOption(new Option('--profile <name>', 'profile to use (env SPAPI_PROFILE)'))
    .addOption(new Option('--region <region>', 'SP-API region (env SPAPI_REGION)').choices(['na', 'eu', 'fe']))
    .addOption(new Option('--marketplace <code|id>', 'marketplace, e.g. US, DE, JP or A1PA6795UKMFR9; implies the region'))
    .addOption(new Option('-o, --output <format>', 'json, ndjson, table or csv (default: table on a TTY, json in a pipe)').choices([...OUTPUT_FORMATS]))
    .addOption(new Option('--client-id <id>', 'LWA client id (env SPAPI_CLIENT_ID); secrets only through env or the keychain'))
    .addOption(new Option('--sandbox', "use Amazon's sandbox endpoint of the region"))
    .addOption(new Option('--max-attempts <n>', 'attempts per request on 429/5xx (default 5)'))
    .addOption(new Option('--max-wait <duration>', 'longest total wait for quota and retries, e.g. 90s, 10m'))
    .addOption(new Option('--debug', 'redacted HTTP trace and stack traces on stderr (env SPAPI_DEBUG=1)'))
    .addHelpText('after', HELP_FOOTER)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => factory.io.out(text),
      writeErr: (text) => factory.io.err(text.replace(/\n$/, '')),
      outputError: (text, write) => write(`spapi: usage: ${text.replace(/^error: /, '').trim()}\nhint: see \`spapi --help\`\n`),
    })
    .hook('preAction', (_, action) => {
      factory.globals = action.optsWithGlobals<GlobalOptions>();
    });

  registerCommands(program, context);
  return program;
}

/** Each command module is imported only when its command runs, so `spapi --help` stays fast. */
function lazy(load: () => Promise<{ run: (context: CommandContext, args: unknown[], options: Record<string, unknown>) => Promise<void> }>, context: CommandContext) {
  return async (...args: unknown[]): Promise<void> => {
    const command = args.at(-1) as Command;
    const options = command.opts();
    const positional = args.slice(0, -2);
    await (await load()).run(context, positional, options);
  };
}

function registerCommands(program: Command, context: CommandContext): void {
  program
    .command('call')
    .description('call any SP-API operation from the catalog')
    .argument('<operation>', 'operationId or <model>.<operationId>, e.g. getMarketplaceParticipations, ordersV0.getOrders')
    .option('-p, --param <name=value>', 'operation parameter (path, query or header); repeat for arrays', collect, [])
    .option('--body <json|@file|->', 'JSON body, @file to read it from a file, - for stdin')
    .option('-H, --header <name:value>', 'extra raw header', collect, [])
    .option('--paginate', 'follow page tokens until the last page (pages as ndjson)')
    .option('--slurp', 'with --paginate: merge all pages into one document')
    .option('--max-items <n>', 'with --paginate: stop after this many items')
    .option('--starting-token <token>', 'with --paginate: resume from this page token')
    .option('--data-elements <list>', 'restricted data to request with an RDT: buyerInfo,shippingAddress,buyerTaxInformation')
    .option('--no-rdt', 'call a restricted operation with the plain access token')
    .option('--dry-run', 'print the request (secrets redacted) and send nothing')
    .option('-i, --include', 'print the status line and response headers before the body')
    .addHelpText('after', `
Examples:
  spapi call getMarketplaceParticipations --region na
  spapi call ordersV0.getOrders --marketplace US -p MarketplaceIds=ATVPDKIKX0DER -p CreatedAfter=2026-11-01T00:00:00Z --paginate
  spapi call reports_2021-06-30.createReport --region eu --body @report.json
  spapi call getOrderAddress --region na -p orderId=902-1845936-5435065 --data-elements shippingAddress`)
    .action(lazy(() => import('./commands/call.js'), context));

  const ops = program.command('ops').description('browse the operation catalog');
  ops
    .command('list')
    .description('list operations (qualified names), with rate limits')
    .option('--api <family|model>', 'only this API, e.g. orders, reports, ordersV0')
    .option('--search <text>', 'only names or paths containing this text')
    .action(lazy(() => import('./commands/ops/list.js'), context));
  ops
    .command('describe')
    .description('show one operation: method, path, parameters, rate limit, pagination, token needs')
    .argument('<operation>')
    .action(lazy(() => import('./commands/ops/describe.js'), context));

  const catalog = program.command('catalog').description('the operation catalog generated from Amazon\'s models');
  catalog
    .command('update')
    .description('regenerate a user-local catalog from newer models (a folder, or the models repository over https)')
    .option('--from <dir|url>', 'models folder or repository URL (default: github.com/amzn/selling-partner-api-models, main)')
    .action(lazy(() => import('./commands/catalog/update.js'), context));

  const auth = program.command('auth').description('authorize selling partners and manage profiles and their secrets');
  auth
    .command('login')
    .description('authorize a selling partner through the consent page; secrets go to the OS keychain')
    .option('--app-id <id>', 'the app\'s Application ID, amzn1.sp.solution.… (env SPAPI_APP_ID)')
    .option('--vendor', 'authorize on Vendor Central instead of Seller Central')
    .option('--draft', 'the app is in Draft: adds version=beta to the consent URL')
    .option('--redirect-uri <url>', 'the redirect URI registered for the app (your https relay page); default: the loopback listener')
    .option('--port <n>', 'loopback listener port (default: a free one)')
    .option('--no-browser', 'print the consent URL instead of opening a browser')
    .option('--manual', 'paste the final redirect URL instead of listening (needs --redirect-uri)')
    .option('--timeout <duration>', 'how long to wait for the authorization', '5m')
    .option('--client-secret-stdin', 'read the LWA client secret from stdin')
    .option('--insecure-storage', 'keep secrets in a 0600 file instead of the OS keychain')
    .option('--cert <file>', 'serve the listener over https with this certificate (PEM)')
    .option('--key <file>', 'private key of --cert (PEM)')
    .option('--host-name <name>', 'host name in the listener URL for --cert (a name mapped to 127.0.0.1)')
    .addHelpText('after', `
Amazon registers only https redirect URIs, so the redirect reaches this machine in one of three ways:
  relay:  register the https page from relay/index.html on a domain you control and pass it as
          --redirect-uri; it forwards the browser to the local listener whose port is in the state
  https:  --cert/--key (and --host-name) serve the listener itself over https, e.g. for a name in
          /etc/hosts that you registered as https://<name>:<port>/callback
  manual: --manual prints the consent URL; paste the address you land on (state is still checked)

Examples:
  spapi auth login --marketplace DE --app-id amzn1.sp.solution.1234 --redirect-uri https://example.com/spapi-relay
  spapi auth login --region na --draft --manual --redirect-uri https://example.com/spapi-relay`)
    .action(lazy(() => import('./commands/auth/login.js'), context));
  auth
    .command('add')
    .description('save a profile for a self-authorized (private) app: refresh token on stdin, client secret from env or a prompt')
    .option('--refresh-token-stdin', 'read the refresh token (Atzr|…) from stdin')
    .option('--keep-refresh-token', 'keep the stored refresh token and save a new client secret (after a rotation)')
    .option('--app-id <id>', 'the app\'s Application ID, amzn1.sp.solution.… (env SPAPI_APP_ID); optional here')
    .option('--secret-created <date|age>', 'when the client secret was created, e.g. 2026-06-01 or 40d (default: now); rotation is due 180 days later')
    .option('--insecure-storage', 'keep secrets in a 0600 file instead of the OS keychain')
    .addHelpText('after', `
The refresh token is checked with one Login with Amazon refresh before anything is stored, then
the profile is verified with getMarketplaceParticipations like \`auth login\`.

Examples:
  pbpaste | spapi auth add --refresh-token-stdin --region eu --profile shop-eu
  SPAPI_CLIENT_SECRET=… spapi auth add --refresh-token-stdin --marketplace US < token.txt
  spapi auth add --keep-refresh-token --profile shop-eu      # save the new secret after rotate-secret`)
    .action(lazy(() => import('./commands/auth/add.js'), context));
  auth
    .command('status')
    .description('profiles, where each secret lives (env, keychain or file), whether a token refresh works, days until the client secret must be rotated')
    .option('--offline', 'skip the Login with Amazon refresh check')
    .addHelpText('after', `
Secrets are shown masked (at most their first four characters). Exit 0 when there is something to
report, even a failed check; exit 3 when no profile is saved and the environment has no credentials.

Examples:
  spapi auth status
  spapi auth status --profile shop-eu --offline
  spapi auth status -o json | jq '.profiles[] | {name, clientSecretRotation}'`)
    .action(lazy(() => import('./commands/auth/status.js'), context));
  auth
    .command('logout')
    .description('delete the profile\'s secrets from the keychain (or file) and the profile itself')
    .option('--all', 'every saved profile')
    .action(lazy(() => import('./commands/auth/logout.js'), context));
  auth
    .command('token')
    .description('print an access token on stdout, for scripts (the one command that prints a token)')
    .option('--grantless <scope>', 'a client_credentials token for this scope instead, e.g. notifications, client_credential:rotation')
    .addHelpText('after', `
The token is valid for up to an hour; it comes from the token cache while it has a minute left.

Examples:
  curl -H "x-amz-access-token: $(spapi auth token)" https://sellingpartnerapi-na.amazon.com/sellers/v1/marketplaceParticipations
  spapi auth token --grantless notifications --profile shop-eu`)
    .action(lazy(() => import('./commands/auth/token.js'), context));
  auth
    .command('switch')
    .description('make a saved profile the current one')
    .argument('[profile]', 'profile name (default: --profile / SPAPI_PROFILE)')
    .action(lazy(() => import('./commands/auth/switch.js'), context));
  auth
    .command('rotate-secret')
    .description('ask Amazon for a new LWA client secret (grantless rotateApplicationClientSecret); it arrives on the app\'s SQS queue')
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal)')
    .addHelpText('after', `
Amazon requires a new client secret every 180 days. The answer carries no secret: Amazon sends the
new one to the SQS queue registered under Developer Console > Notification Preferences
("Application Client New Secret") with the expiry of the old one, which works until then. spapi
stores nothing; save the new secret with \`spapi auth add --keep-refresh-token\`.

Examples:
  spapi auth rotate-secret --profile shop-eu
  spapi auth rotate-secret --yes`)
    .action(lazy(() => import('./commands/auth/rotate-secret.js'), context));

  const sellers = program.command('sellers').description('Sellers API');
  sellers
    .command('marketplaces')
    .description('marketplaces the selling partner participates in')
    .action(lazy(() => import('./commands/sellers/marketplaces.js'), context));

  const orders = program.command('orders').description('Orders API');
  orders
    .command('list')
    .description('list orders (Orders API 2026-01-01; --api v0 for the deprecated v0)')
    .option('--created-after <age|ISO>', 'created at or after, e.g. 7d, 12h, 2026-11-01T00:00:00Z', '7d')
    .option('--created-before <age|ISO>', 'created before (clamped to two minutes ago, as Amazon requires)')
    .option('--status <list>', 'comma-separated statuses, e.g. Unshipped,Shipped')
    .option('--max-items <n>', 'stop after this many orders')
    .option('--api <version>', 'Orders API version: 2026-01-01 (default) or v0', '2026-01-01')
    .addHelpText('after', `
Examples:
  spapi orders list --marketplace DE --created-after 7d
  spapi orders list --region na --status Unshipped --max-items 50 -o csv > unshipped.csv`)
    .action(lazy(() => import('./commands/orders/list.js'), context));
  orders
    .command('get')
    .description('one order by its id')
    .argument('<orderId>')
    .option('--api <version>', 'Orders API version: 2026-01-01 (default) or v0', '2026-01-01')
    .action(lazy(() => import('./commands/orders/get.js'), context));

  program
    .command('emulator')
    .description('run the local SP-API + Login with Amazon + consent page emulator on loopback until Ctrl-C')
    .option('--port <n>', 'port for SP-API, LWA and the consent page (default 0: a free port); documents get another free port')
    .option('--host <address>', 'loopback address to listen on: 127.0.0.1 (default), ::1 or localhost; nothing else')
    .option('--models <dir>', 'answer operations without emulated state from the static sandbox examples of this models folder')
    .option('--rate-scale <x>', 'multiply every usage-plan rate: 100 for fast tests, 0.01 to throttle easily (default 1)')
    .option('--faults <spec>', 'inject failures, e.g. 500@3,7;503~0.1;latency=200;throttle;reset-doc@2 (grammar below)')
    .option('--seed <n>', 'seed of the generated orders, reports and probability faults (default 1)')
    .option('--orders <n>', 'number of generated orders (default 120)')
    .option('--auto-approve', 'the consent page redirects at once instead of showing its Authorize button')
    .addHelpText('after', `
Stdout gets exactly one JSON line once the server listens:
  {"spApi":…,"lwa":…,"consent":…,"documents":…,"app":{"clientId":…,"applicationId":…,"redirectUris":[…],…}}
stderr says how to point spapi at it (SPAPI_ENDPOINT, SPAPI_LWA_ENDPOINT and the emulator's fixed,
public test credentials). Ctrl-C (SIGINT) or SIGTERM closes it; that is a clean stop: exit 0.

--faults: clauses joined with ; or , (numbers count SP-API calls or document downloads from 1):
  500@3,7       500 InternalFailure on the 3rd and 7th call (ranges too: 503@1-3)
  503~0.1       503 ServiceUnavailable on each call with probability 0.1, reproducible with --seed
  latency=200   every SP-API answer 200 ms late
  throttle      every SP-API call answers 429 QuotaExceeded
  reset-doc@2   the 2nd report document download drops its connection mid-body

Consent (GET /apps/authorize/consent?application_id=…&state=…[&redirect_uri=…][&version=beta]):
the Authorize button redirects to redirect_uri with state, selling_partner_id and spapi_oauth_code;
the code is good for one authorization_code grant within 5 minutes, with the same redirect_uri, and
buys a new refresh token. Redirect URIs match exactly, or any port where the registered one says :*.
Error pages: MD1000 (unknown app, an LWA client id as application_id, Draft app without
version=beta), MD5101 (redirect_uri not registered), MissingState.

Examples:
  spapi emulator
  spapi emulator --port 8700 --rate-scale 100 --orders 500
  spapi emulator --faults '503@1;latency=100' --seed 7
  spapi emulator --auto-approve --models ../selling-partner-api-models/models`)
    .action(lazy(() => import('./commands/emulator.js'), context));

  // Hidden: the shell stubs in completions/ run `spapi __complete -- <words...>` on every TAB.
  // After `--` commander passes the words through verbatim, flags included.
  program
    .command('__complete', { hidden: true })
    .argument('[words...]')
    .helpOption(false)
    .allowUnknownOption()
    .action(async (words: string[], _options: unknown, command: Command) => {
      await (await import('./completion/command.js')).run(context, command.parent ?? program, words);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export async function runProgram(argv: string[], factory: Factory, signal: AbortSignal): Promise<number> {
  const program = buildProgram({ factory, signal });
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
