import type { Command } from '@commander-js/extra-typings';
import { clientIdOf, fromEnv } from '../../../core/auth/credentials.js';
import { parseDuration } from '../../../core/duration.js';
import { UsageError } from '../../../core/errors.js';
import { MARKETPLACES, resolveRegionAndMarketplace, type Marketplace } from '../../../core/regions.js';
import type { CommandContext } from '../../command.js';
import type { Factory } from '../../factory.js';
import { need, readAllStdin, readLine } from '../../prompter.js';
import { showMarketplaces, storeForWriting, verifyAndRecord } from './shared.js';
import { audited, currentProfile } from './audit-trail.js';
import { environment } from '../shared/help.js';

export interface LoginOptions {
  appId?: string | undefined;
  vendor?: boolean | undefined;
  draft?: boolean | undefined;
  redirectUri?: string | undefined;
  port?: number | undefined;
  browser: boolean;
  manual?: boolean | undefined;
  timeout: string;
  clientSecretStdin?: boolean | undefined;
  insecureStorage?: boolean | undefined;
  cert?: string | undefined;
  key?: string | undefined;
  hostName?: string | undefined;
}

function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value.trim()) || port > 65535) throw new UsageError(`--port ${value} is not a port number (0-65535)`);
  return port;
}

export function register(auth: Command, context: CommandContext): void {
  auth
    .command('login')
    .description('authorize a selling partner through the consent page; secrets go to the OS keychain')
    .option('--app-id <id>', 'the app\'s Application ID, amzn1.sp.solution.… (env SPAPI_APP_ID)')
    .option('--vendor', 'authorize on Vendor Central instead of Seller Central')
    .option('--draft', 'the app is in Draft: adds version=beta to the consent URL')
    .option('--redirect-uri <url>', 'the redirect URI registered for the app (your https relay page); default: the loopback listener')
    .option('--port <n>', 'loopback listener port (default: a free one)', portNumber)
    .option('--no-browser', 'print the consent URL instead of opening a browser')
    .option('--manual', 'paste the final redirect URL instead of listening (needs --redirect-uri)')
    .option('--timeout <duration>', 'how long to wait for the authorization', '5m')
    .option('--client-secret-stdin', 'read the LWA client secret from stdin')
    .option('--insecure-storage', 'keep secrets in a 0600 file instead of the OS keychain')
    .option('--cert <file>', 'serve the listener over https with this certificate (PEM)')
    .option('--key <file>', 'private key of --cert (PEM)')
    .option('--host-name <name>', 'host name in the listener URL for --cert (a name mapped to 127.0.0.1)')
    .addHelpText('after', `
${THREE_WAYS.join('\n')}

Examples:
  spapi auth login --marketplace DE --app-id amzn1.sp.solution.1234 --redirect-uri https://example.com/spapi-relay
  spapi auth login --region na --draft --manual --redirect-uri https://example.com/spapi-relay${environment(['SPAPI_PROFILE', 'SPAPI_APP_ID', 'SPAPI_CLIENT_ID', 'SPAPI_CLIENT_SECRET', 'SPAPI_REGION', 'SPAPI_SECRET_STORE', 'SPAPI_CONSENT_URL', 'SPAPI_LWA_ENDPOINT', 'SPAPI_ENDPOINT', 'BROWSER'])}`)
    .action(async (options) => audited(context.factory, 'login', () => currentProfile(context.factory), () => run(context, options)));
}

/** Amazon registers only https redirect URIs: the three ways the redirect reaches this machine. */
export const THREE_WAYS = [
  'Amazon registers only https redirect URIs, so the redirect reaches this machine in one of three ways:',
  '  relay:  register the https page from relay/index.html on a domain you control and pass it as',
  '          --redirect-uri; it forwards the browser to the local listener whose port is in the state',
  '  https:  --cert/--key (and --host-name) serve the listener itself over https, e.g. for a name in',
  '          /etc/hosts that you registered as https://<name>:<port>/callback',
  '  manual: --manual prints the consent URL; paste the address you land on (state is still checked)',
];

/** Where consent happens when only a region is known: its best-known marketplace. */
const HOME_MARKETPLACE = { na: 'US', eu: 'UK', fe: 'JP' } as const;

async function marketplaceFor(factory: Factory): Promise<Marketplace> {
  const inputs = await factory.regionSources();
  // Login alone may default the region: consent happens somewhere, and NA is Amazon's first.
  const resolved = resolveRegionAndMarketplace(inputs.region || inputs.marketplace ? inputs : { region: 'na' });
  return resolved.marketplace ?? (MARKETPLACES.find((m) => m.code === HOME_MARKETPLACE[resolved.region.code]) as Marketplace);
}


/** `spapi auth login`: website authorization finished on a loopback listener, secrets into the keychain. */
export async function run({ factory, signal }: CommandContext, options: LoginOptions): Promise<void> {
  const { io, env, prompter } = factory;
  const profileName = await factory.profileName();
  const profile = await factory.profile();
  const marketplace = await marketplaceFor(factory);
  const timeoutMs = parseDuration(options.timeout, '--timeout');
  const port = options.port;
  if ((options.cert === undefined) !== (options.key === undefined)) throw new UsageError('--cert and --key go together');
  if (options.manual && options.clientSecretStdin) throw new UsageError('--manual reads the pasted URL from stdin: pass the client secret in SPAPI_CLIENT_SECRET instead of --client-secret-stdin');

  const applicationId = await need(io, prompter, options.appId ?? env['SPAPI_APP_ID'] ?? profile?.appId, { label: 'Application ID (amzn1.sp.solution.…)', flag: '--app-id', env: 'SPAPI_APP_ID' });
  const clientId = await need(io, prompter, clientIdOf({ flags: { clientId: factory.globals.clientId }, env, profileClientId: profile?.clientId })?.[0], { label: 'LWA client ID', flag: '--client-id', env: 'SPAPI_CLIENT_ID' });
  const store = await storeForWriting(factory, profileName, options.insecureStorage);
  const stdinSecret = options.clientSecretStdin ? await readAllStdin(io) : undefined;
  // Read even when the secret comes from stdin or env: an unchanged secret keeps its rotation date.
  const storedSecret = await store.get(profileName, 'client_secret');
  const clientSecret = await need(io, prompter, stdinSecret || fromEnv('clientSecret', env) || storedSecret, { label: 'LWA client secret', flag: '--client-secret-stdin', env: 'SPAPI_CLIENT_SECRET', secret: true });

  const tls = options.cert && options.key
    ? { cert: await (await import('node:fs/promises')).readFile(options.cert), key: await (await import('node:fs/promises')).readFile(options.key) }
    : undefined;
  // Against Amazon, the loopback default ends on MD5101: say so before a browser opens.
  if (!options.redirectUri && !tls && !env['SPAPI_CONSENT_URL']) {
    io.err('warning: without --redirect-uri the consent page redirects to http://127.0.0.1:<port>/callback, which Amazon cannot register (it answers MD5101).');
    for (const line of THREE_WAYS) io.err(line);
  }
  const { login } = await import('../../../core/auth/login.js');
  const result = await login({
    applicationId,
    clientId,
    clientSecret,
    marketplace,
    vendor: options.vendor,
    draft: options.draft,
    redirectUri: options.redirectUri,
    port,
    tls,
    publicHost: options.hostName,
    consentBase: env['SPAPI_CONSENT_URL'],
    manual: options.manual,
    timeoutMs,
  }, {
    lwa: await factory.lwa(),
    open: (url) => (options.browser ? factory.openUrl(url) : Promise.resolve(false)),
    say: (line) => io.err(line),
    readPasted: () => readLine(io),
    waiting: (text) => io.progress(text),
    signal,
  });

  await store.set(profileName, 'refresh_token', result.refreshToken);
  if (storedSecret !== clientSecret) await store.set(profileName, 'client_secret', clientSecret);
  const settings = await factory.writableSettings();
  settings.setProfile(profileName, {
    ...profile,
    clientId,
    appId: applicationId,
    region: marketplace.region,
    marketplace: marketplace.code,
    ...(result.sellingPartnerId ? { sellingPartnerId: result.sellingPartnerId } : {}),
    ...(storedSecret !== clientSecret || !profile?.clientSecretSetAt ? { clientSecretSetAt: factory.clock.now().toISOString() } : {}),
    secretStore: store.kind === 'file' ? 'file' : 'keychain',
  });
  if (!settings.currentProfile()) settings.setCurrentProfile(profileName);
  io.err(`authorized${result.sellingPartnerId ? ` selling partner ${result.sellingPartnerId}` : ''} for profile ${profileName}; secrets are in ${store.location}`);

  const participations = await verifyAndRecord(factory, profileName, { clientId, clientSecret, refreshToken: result.refreshToken });
  await showMarketplaces(factory, participations);
}
