import { ROTATION_DAYS } from '../../../core/auth/rotation.js';
import type { SecretKind } from '../../../core/auth/secret-store.js';
import type { Rotation, SecretLocation, StatusReport, TokenCheck } from './status-report.js';
import { SECRET_KINDS } from './shared.js';

const KIND_LABEL: Record<SecretKind, string> = { client_secret: 'client secret', refresh_token: 'refresh token' };

function day(iso: string | undefined): string {
  return iso ? iso.slice(0, 10) : '?';
}

function describeSecret(location: SecretLocation): string {
  switch (location.source) {
    case 'env':
      return `env ${location.where ?? ''}  ${location.masked ?? ''}${location.overrides ? `  (overrides the stored one in ${location.overrides})` : ''}`;
    case 'keychain':
      return `${location.where ?? 'OS keychain'}  ${location.masked ?? ''}`;
    case 'file':
      return `file ${location.where ?? ''}  ${location.masked ?? ''}  INSECURE: a plain file, not the OS keychain`;
    case 'missing':
      return `missing${location.where ? ` (not in ${location.where})` : ''}`;
    case 'unreadable':
      return `unreadable: ${location.error ?? 'the store failed'}`;
  }
}

function describeCheck(check: TokenCheck): string {
  if (check.state === 'ok') return 'ok (Login with Amazon issued an access token)';
  if (check.state === 'skipped') return `not checked (${check.code ?? 'skipped'})`;
  return `FAILED: ${check.code ?? 'error'}${check.message ? ` — ${check.message}` : ''}`;
}

function describeRotation(rotation: Rotation): string {
  switch (rotation.state) {
    case 'unknown':
      return `unknown (${rotation.note ?? 'no date'}); Amazon requires a new one every ${ROTATION_DAYS} days`;
    case 'overdue':
      return `OVERDUE since ${day(rotation.dueAt)} (set ${day(rotation.setAt)}): rotate it now with \`spapi auth rotate-secret\``;
    case 'warn':
      return `${rotation.daysLeft ?? '?'} days left (due ${day(rotation.dueAt)}, set ${day(rotation.setAt)}): rotate soon with \`spapi auth rotate-secret\``;
    case 'ok':
      return `${rotation.daysLeft ?? '?'} days left (due ${day(rotation.dueAt)}, set ${day(rotation.setAt)})`;
  }
}

/** The human form of the report (a terminal): one block per profile. */
export function formatStatus(report: StatusReport): string {
  const blocks = report.profiles.map((p) => {
    const rows: Array<[string, string]> = [
      ['client id', p.clientId ? `${p.clientId}${p.clientIdSource ? `  (${p.clientIdSource})` : ''}` : 'missing'],
      ['app id', p.appId ?? '-'],
      ['region', `${p.region ?? '-'}${p.marketplace ? `, marketplace ${p.marketplace}` : ''}`],
      ['selling partner', p.sellingPartnerId ?? '-'],
      ...SECRET_KINDS.map((kind): [string, string] => [KIND_LABEL[kind], describeSecret(p.secrets[kind])]),
      ...(p.permissionProblems?.length ? [['permissions', p.permissionProblems.join('; ')] as [string, string]] : []),
      ['token refresh', describeCheck(p.tokenRefresh)],
      ['secret rotation', describeRotation(p.clientSecretRotation)],
    ];
    const title = `${p.name}${p.current ? ' (current)' : ''}${p.saved ? '' : ' (not saved: environment only)'}`;
    return [title, ...rows.map(([label, value]) => `  ${label.padEnd(16)}${value}`)].join('\n');
  });
  return `${blocks.join('\n\n')}\n\nrate-limit store  ${report.rateLimitStore}\n`;
}

/** The stderr lines that must not be missed: rotation due or overdue, the plain-file store, a failed refresh. */
export function statusWarnings(report: StatusReport): string[] {
  const lines: string[] = [];
  for (const p of report.profiles) {
    const r = p.clientSecretRotation;
    if (r.state === 'overdue') {
      lines.push(`error: profile ${p.name}: the client secret was due for rotation on ${day(r.dueAt)} (${-(r.daysLeft ?? 0)} days ago); SP-API calls fail once Amazon retires it: run \`spapi auth rotate-secret\``);
    } else if (r.state === 'warn') {
      lines.push(`warning: profile ${p.name}: the client secret must be rotated within ${r.daysLeft ?? '?'} days (by ${day(r.dueAt)}): run \`spapi auth rotate-secret\``);
    }
    if (p.insecure) {
      const file = SECRET_KINDS.map((k) => p.secrets[k]).find((s) => s.source === 'file')?.where;
      lines.push(`warning: profile ${p.name} keeps secrets in a plain file${file ? ` (${file})` : ''}, not the OS keychain${p.permissionProblems?.length ? `, and ${p.permissionProblems.join('; ')}` : ''}`);
    }
    if (p.tokenRefresh.state === 'failed') lines.push(`error: profile ${p.name}: token refresh failed: ${p.tokenRefresh.code ?? 'error'}`);
    for (const kind of SECRET_KINDS) {
      if (p.secrets[kind].source === 'unreadable') lines.push(`error: profile ${p.name}: the ${KIND_LABEL[kind]} could not be read: ${p.secrets[kind].error ?? ''}`);
    }
  }
  return lines;
}

