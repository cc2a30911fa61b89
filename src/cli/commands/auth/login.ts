import type { SecretStore } from '../../../core/auth/secret-store.js';
import { fromEnv } from '../../../core/auth/credentials.js';
import { login } from '../../../core/auth/login.js';
import { parseDuration } from '../../../core/duration.js';
import { UsageError } from '../../../core/errors.js';
import { MARKETPLACES, resolveRegionAndMarketplace, type Marketplace } from '../../../core/regions.js';
import type { Factory } from '../../factory.js';
import type { CommandContext } from '../../program.js';
import { inquirerPrompter, need, readAllStdin, readLine } from '../../prompter.js';
import { showMarketplaces, verifyAndRecord } from './shared.js';

export interface LoginFlags {
  appId?: string;
  vendor?: boolean;
  draft?: boolean;
  redirectUri?: string;
  port?: string;
  browser: boolean;
  manual?: boolean;
  timeout: string;
  clientSecretStdin?: boolean;
  insecureStorage?: boolean;
  cert?: string;
  key?: string;
  hostName?: string;
}

/** Where consent happens when only a region is known: its best-known marketplace. */
const HOME_MARKETPLACE = { na: 'US', eu: 'UK', fe: 'JP' } as const;

async function marketplaceFor(factory: Factory): Promise<Marketplace> {
  const profile = await factory.profile();
  const region = factory.globals.region ?? factory.env['SPAPI_REGION'] ?? profile?.region;
  const marketplace = factory.globals.marketplace ?? (region ? undefined : profile?.marketplace);
  const resolved = resolveRegionAndMarketplace({ region: region ?? (marketplace ? undefined : 'na'), marketplace });
  return resolved.marketplace ?? (MARKETPLACES.find((m) => m.code === HOME_MARKETPLACE[resolved.region.code]) as Marketplace);
}

/**
 * The store the new secrets go to. The keychain is probed before any browser opens, so an
 * unavailable one fails fast (exit 3) instead of after the user authorized.
 */
export async function storeForWriting(factory: Factory, profile: string, insecure: boolean | undefined): Promise<SecretStore> {
  if (insecure) {
    const { FileSecretStore } = await import('../../../adapters/file-secret-store.js');
    const store = new FileSecretStore(factory.configDir());
    factory.io.err(`warning: secrets will be kept in a plain file (${store.location}, mode 0600), not the OS keychain`);
    return store;
  }
  const store = await factory.secretStore();
  if (store.kind === 'none') {
    throw new UsageError('SPAPI_SECRET_STORE=none stores no secrets', { hint: 'unset it to use the keychain, or pass --insecure-storage for a 0600 file' });
  }
  if (store.kind === 'file') factory.io.err(`warning: SPAPI_SECRET_STORE=file keeps secrets in a plain file (${store.location}, mode 0600), not the OS keychain`);
  await store.get(profile, 'client_secret');
  return store;
}

/** `spapi auth login`: website authorization finished on a loopback listener, secrets into the keychain. */
export async function run({ factory, signal }: CommandContext, _args: unknown[], flags: Record<string, unknown>): Promise<void> {
  const options = flags as unknown as LoginFlags;
  const { io, env } = factory;
  const prompter = inquirerPrompter();
  const profileName = await factory.profileName();
  const profile = await factory.profile();
  const marketplace = await marketplaceFor(factory);
  const timeoutMs = parseDuration(options.timeout, '--timeout');
  const port = options.port === undefined ? undefined : Number(options.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) throw new UsageError(`--port ${options.port} is not a port number`);
  if ((options.cert === undefined) !== (options.key === undefined)) throw new UsageError('--cert and --key go together');
  if (options.manual && options.clientSecretStdin) throw new UsageError('--manual reads the pasted URL from stdin: pass the client secret in SPAPI_CLIENT_SECRET instead of --client-secret-stdin');

  const applicationId = await need(io, prompter, options.appId ?? env['SPAPI_APP_ID'] ?? profile?.appId, { label: 'Application ID (amzn1.sp.solution.…)', flag: '--app-id', env: 'SPAPI_APP_ID' });
  const clientId = await need(io, prompter, factory.globals.clientId ?? fromEnv('clientId', env) ?? profile?.clientId, { label: 'LWA client ID', flag: '--client-id', env: 'SPAPI_CLIENT_ID' });
  const store = await storeForWriting(factory, profileName, options.insecureStorage);
  const stdinSecret = options.clientSecretStdin ? await readAllStdin(io) : undefined;
  // Read even when the secret comes from stdin or env: an unchanged secret keeps its rotation date.
  const storedSecret = await store.get(profileName, 'client_secret');
  const clientSecret = await need(io, prompter, stdinSecret || fromEnv('clientSecret', env) || storedSecret, { label: 'LWA client secret', flag: '--client-secret-stdin', env: 'SPAPI_CLIENT_SECRET', secret: true });

  const tls = options.cert && options.key
    ? { cert: await (await import('node:fs/promises')).readFile(options.cert), key: await (await import('node:fs/promises')).readFile(options.key) }
    : undefined;
  const { openUrl } = await import('../../../adapters/browser.js');
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
    open: (url) => (options.browser ? openUrl(url, env) : Promise.resolve(false)),
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
    ...(storedSecret !== clientSecret || !profile?.clientSecretSetAt ? { clientSecretSetAt: new Date().toISOString() } : {}),
    secretStore: store.kind === 'file' ? 'file' : 'keychain',
  });
  if (!settings.currentProfile()) settings.setCurrentProfile(profileName);
  io.err(`authorized${result.sellingPartnerId ? ` selling partner ${result.sellingPartnerId}` : ''} for profile ${profileName}; secrets are in ${store.location}`);

  const participations = await verifyAndRecord(factory, profileName, { clientId, clientSecret, refreshToken: result.refreshToken });
  await showMarketplaces(factory, participations);
}
