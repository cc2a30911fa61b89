import { lwaErrorHint } from '../error-hints.js';
import { fail, ok, warn, type DoctorCheck } from './types.js';

/** Where one secret lives, as `auth status` finds it. Never its value, masked or not. */
export interface SecretPlace {
  source: 'env' | 'keychain' | 'file' | 'missing' | 'unreadable';
  where?: string | undefined;
  overrides?: string | undefined;
  error?: string | undefined;
}

/** What doctor judges of one profile (the non-secret part of `auth status`'s ProfileStatus). */
export interface ProfileFacts {
  name: string;
  saved: boolean;
  clientId?: string | undefined;
  store: 'keychain' | 'file' | 'none';
  permissionProblems?: string[] | undefined;
  secrets: { client_secret: SecretPlace; refresh_token: SecretPlace };
  tokenRefresh: { state: 'ok' | 'failed' | 'skipped'; code?: string | undefined; message?: string | undefined };
  clientSecretRotation: { state: 'ok' | 'warn' | 'overdue' | 'unknown'; daysLeft?: number | undefined; dueAt?: string | undefined };
}

const LABEL = { client_secret: 'client secret', refresh_token: 'refresh token' } as const;

function place(p: SecretPlace): string {
  switch (p.source) {
    case 'env':
      return `env ${p.where ?? ''}${p.overrides ? ` (over the copy in ${p.overrides})` : ''}`;
    case 'keychain':
      return 'keychain';
    case 'file':
      return `file ${p.where ?? ''}`;
    case 'missing':
      return 'missing';
    case 'unreadable':
      return 'unreadable';
  }
}

/**
 * Where the profile's secrets live (keychain, file or env — never a value), the client secret's
 * rotation, and the file store's permissions. A missing client secret or an unreadable store fails;
 * the plain-file store and a rotation due soon warn.
 */
export function checkSecrets(p: ProfileFacts): DoctorCheck {
  const check = `secrets (${p.name})`;
  const where = (['client_secret', 'refresh_token'] as const).map((kind) => `${LABEL[kind]}: ${place(p.secrets[kind])}`).join('; ');
  const detail = `${p.saved ? '' : 'not saved, environment only; '}client id: ${p.clientId ?? 'missing'}; ${where}`;
  const login = `spapi auth login --profile ${p.name}`;
  const unreadable = (['client_secret', 'refresh_token'] as const).find((kind) => p.secrets[kind].source === 'unreadable');
  if (unreadable) return fail(check, `${detail}; the ${LABEL[unreadable]} cannot be read: ${p.secrets[unreadable].error ?? 'the store failed'}`, 'make the store reachable (see the keychain check), or set SPAPI_CLIENT_SECRET and SPAPI_REFRESH_TOKEN');
  if (!p.clientId) return fail(check, detail, `set SPAPI_CLIENT_ID, or save the profile again: \`${login}\``);
  if (p.secrets.client_secret.source === 'missing') return fail(check, detail, `set SPAPI_CLIENT_SECRET, or save the profile again: \`${login}\``);
  const rotation = p.clientSecretRotation;
  const due = rotation.dueAt?.slice(0, 10) ?? '?';
  if (rotation.state === 'overdue') return fail(check, `${detail}; the client secret was due for rotation on ${due}`, `rotate it now: \`spapi auth rotate-secret --profile ${p.name}\` (Amazon retires secrets 180 days old)`);
  if (p.permissionProblems?.length) return warn(check, `${detail}; ${p.permissionProblems.join('; ')}`, 'chmod 0600 the secrets file and 0700 its directory, or move the secrets to the keychain (`spapi auth login --profile ' + p.name + '`)');
  if (rotation.state === 'warn') return warn(check, `${detail}; the client secret is due for rotation on ${due} (${rotation.daysLeft ?? '?'} days)`, `\`spapi auth rotate-secret --profile ${p.name}\` before ${due}`);
  const inFile = p.secrets.client_secret.source === 'file' || p.secrets.refresh_token.source === 'file';
  if (inFile) return warn(check, `${detail} (a plain 0600 file, not the OS keychain)`, `once a keychain is available, save the profile there: \`${login}\``);
  return ok(check, detail);
}

/** A token refresh with exactly the profile's credentials against its LWA endpoint. */
export function checkTokenRefresh(p: ProfileFacts, lwaHost: string): DoctorCheck {
  const check = `token refresh (${p.name})`;
  const r = p.tokenRefresh;
  if (r.state === 'ok') return ok(check, `${lwaHost} issued an access token`);
  if (r.state === 'skipped') {
    if (r.code?.startsWith('no refresh token')) return warn(check, `not tried: no refresh token, so only grantless operations can be called`, `for seller calls authorize the app: \`spapi auth login --profile ${p.name}\` (or \`spapi auth add --refresh-token-stdin\` for a self-authorized app)`);
    return fail(check, `not tried: ${r.code ?? 'skipped'}`, `\`spapi auth login --profile ${p.name}\``);
  }
  const said = `${lwaHost} refused it: ${r.code ?? 'error'}${r.message ? ` (${r.message})` : ''}`;
  // LWA's codes get the advice of the one table every command uses.
  if (r.code === 'network') return fail(check, r.message ?? `${lwaHost} could not be reached`, 'check the network and proxy, or SPAPI_LWA_ENDPOINT if you set it');
  return fail(check, said, lwaErrorHint(r.code ?? '', { profile: p.name }));
}
