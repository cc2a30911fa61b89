import type { Command } from '@commander-js/extra-typings';
import { clientIdOf, envVariableFor } from '../../../core/auth/credentials.js';
import { checkApplicationId } from '../../../core/auth/consent-url.js';
import { parseInstant } from '../../../core/duration.js';
import { AuthError, UsageError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import { need, readAllStdin } from '../../prompter.js';
import { showMarketplaces, storeForWriting, verifyAndRecord } from './shared.js';
import { audited, currentProfile } from './audit-trail.js';
import { environment } from '../shared/help.js';

export interface AddOptions {
  refreshTokenStdin?: boolean | undefined;
  keepRefreshToken?: boolean | undefined;
  appId?: string | undefined;
  insecureStorage?: boolean | undefined;
  secretCreated?: string | undefined;
}

export function register(auth: Command, context: CommandContext): void {
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
  spapi auth add --keep-refresh-token --profile shop-eu      # save the new secret after rotate-secret${environment(['SPAPI_PROFILE', 'SPAPI_APP_ID', 'SPAPI_CLIENT_ID', 'SPAPI_CLIENT_SECRET', 'SPAPI_REGION', 'SPAPI_SECRET_STORE', 'SPAPI_LWA_ENDPOINT', 'SPAPI_ENDPOINT'])}`)
    .action(async (options) => audited(context.factory, 'add', () => currentProfile(context.factory), () => run(context, options)));
}

/**
 * A refresh token as Amazon shows it after self-authorization: one line, no spaces. An access token
 * (Atza|…, one hour) pasted by mistake is refused: it would stop working within the hour.
 */
export function checkRefreshToken(token: string): void {
  if (/^Atza\|/.test(token)) {
    throw new UsageError('that is an access token (Atza|…), not a refresh token', { hint: 'paste the refresh token (Atzr|…) that "Authorize app" showed in Solution Provider Portal' });
  }
  if (/\s/.test(token)) throw new UsageError('the refresh token read from stdin contains whitespace: pipe exactly one token');
}

/**
 * `spapi auth add`: saves a profile for a self-authorized (private) app — a refresh token piped on
 * stdin, the client secret from the environment or a prompt — after proving it works with one LWA
 * refresh. Nothing is stored when that refresh fails. With --keep-refresh-token it updates only the
 * client secret (after a rotation).
 */
export async function run({ factory }: CommandContext, options: AddOptions): Promise<void> {
  const { io, env, prompter } = factory;
  const now = factory.clock.now();
  const profileName = await factory.profileName();
  const profile = await factory.profile();
  if (options.refreshTokenStdin && options.keepRefreshToken) throw new UsageError('--refresh-token-stdin and --keep-refresh-token exclude each other');
  if (!options.refreshTokenStdin && !options.keepRefreshToken && !io.canPrompt()) {
    throw new UsageError('no refresh token: pipe it with --refresh-token-stdin (or pass --keep-refresh-token to keep the stored one)', {
      hint: 'pbpaste | spapi auth add --refresh-token-stdin --region eu',
    });
  }
  const secretCreated = options.secretCreated === undefined ? undefined : parseInstant(options.secretCreated, '--secret-created', now);
  if (secretCreated && Date.parse(secretCreated) > now.getTime()) throw new UsageError(`--secret-created ${options.secretCreated} is in the future`);
  const { region, marketplace } = await factory.regionAndMarketplace();
  const appId = options.appId ?? env['SPAPI_APP_ID'] ?? profile?.appId;
  if (appId) checkApplicationId(appId);
  const clientId = await need(io, prompter, clientIdOf({ flags: { clientId: factory.globals.clientId }, env, profileClientId: profile?.clientId })?.[0], {
    label: 'LWA client ID',
    flag: '--client-id',
    env: 'SPAPI_CLIENT_ID',
  });
  const store = await storeForWriting(factory, profileName, options.insecureStorage);

  let refreshToken: string;
  if (options.refreshTokenStdin) {
    refreshToken = await readAllStdin(io);
    if (!refreshToken) throw new UsageError('--refresh-token-stdin read nothing from stdin', { hint: 'pipe the token: pbpaste | spapi auth add --refresh-token-stdin' });
  } else if (options.keepRefreshToken) {
    const stored = await store.get(profileName, 'refresh_token');
    if (!stored) throw new UsageError(`profile ${profileName} has no stored refresh token to keep (in ${store.location})`, { hint: 'pipe one with --refresh-token-stdin' });
    refreshToken = stored;
  } else {
    refreshToken = await need(io, prompter, undefined, { label: 'Refresh token (Atzr|…)', flag: '--refresh-token-stdin', secret: true });
  }
  checkRefreshToken(refreshToken);

  const secretVariable = envVariableFor(env, 'clientSecret');
  // Read even when the environment has one: an unchanged secret must keep its rotation date.
  const storedSecret = await store.get(profileName, 'client_secret');
  // --keep-refresh-token exists to save a new (rotated) secret: the stored one is never reused then.
  const canAsk = io.canPrompt() && !options.refreshTokenStdin;
  const clientSecret = (secretVariable ? env[secretVariable] : undefined) ??
    (options.keepRefreshToken ? undefined : storedSecret) ??
    (canAsk ? (await prompter.secret(options.keepRefreshToken ? 'New LWA client secret' : 'LWA client secret')).trim() || undefined : undefined);
  if (!clientSecret) {
    throw new UsageError('no LWA client secret: set SPAPI_CLIENT_SECRET', {
      hint: options.refreshTokenStdin ? 'stdin carries the refresh token, so the secret comes from the environment' : 'or run this on a terminal to be asked for it',
    });
  }

  // Prove the pair works before anything is written: a typo must not replace working credentials.
  try {
    await (await factory.lwa()).accessToken(clientId, clientSecret, refreshToken);
  } catch (error) {
    if (error instanceof AuthError) throw new AuthError(`${error.message}; nothing was stored`, { hint: error.hint ?? 'check the client id, client secret and refresh token' });
    throw error;
  }

  if (!options.keepRefreshToken) await store.set(profileName, 'refresh_token', refreshToken);
  const secretChanged = storedSecret !== clientSecret;
  if (secretChanged) await store.set(profileName, 'client_secret', clientSecret);
  const settings = await factory.writableSettings();
  const previous = settings.profile(profileName) ?? {};
  const base = { ...previous };
  // A new refresh token may stand for another seller: keep the id only when the token is the same one.
  if (!options.keepRefreshToken) delete base.sellingPartnerId;
  // A marketplace of another region would contradict the region given now.
  if (!marketplace && base.region !== region.code) delete base.marketplace;
  settings.setProfile(profileName, {
    ...base,
    clientId,
    ...(appId ? { appId } : {}),
    region: region.code,
    ...(marketplace ? { marketplace: marketplace.code } : {}),
    clientSecretSetAt: secretCreated ?? (secretChanged || !previous.clientSecretSetAt ? now.toISOString() : previous.clientSecretSetAt),
    secretStore: store.kind === 'file' ? 'file' : 'keychain',
  });
  if (!settings.currentProfile()) settings.setCurrentProfile(profileName);
  const what = options.keepRefreshToken ? 'updated the client secret of' : 'saved';
  io.err(`${what} profile ${profileName}; secrets are in ${store.location}${secretVariable ? ` (the client secret was taken from ${secretVariable})` : ''}`);

  const participations = await verifyAndRecord(factory, profileName, { clientId, clientSecret, refreshToken });
  await showMarketplaces(factory, participations);
}
