import { userInfo } from 'node:os';
import { clientIdOf } from '../../../core/auth/credentials.js';
import { SpapiError } from '../../../core/errors.js';
import type { ProfileSettings } from '../../../core/settings.js';
import type { AuditAction, AuditRecord } from '../../../adapters/audit-trail.js';
import type { Factory } from '../../factory.js';

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    // no passwd entry (a container's arbitrary uid)
    return `uid ${process.getuid?.() ?? 'unknown'}`;
  }
}

/**
 * Runs one auth verb and appends one line per profile it touched to `<config dir>/audit.jsonl`,
 * whatever the outcome. The profile is read before (logout deletes it) and after (login learns the
 * selling partner); a trail that cannot be written warns and never fails the verb.
 */
export async function audited(factory: Factory, action: AuditAction, profiles: () => Promise<string[]>, verb: () => Promise<void>): Promise<void> {
  let names: string[] = [];
  const before = new Map<string, ProfileSettings | undefined>();
  try {
    names = await profiles();
    const settings = await factory.settings();
    for (const name of names) before.set(name, settings.profile(name));
  } catch {
    // the verb reports what is wrong with the settings itself
  }
  let failure: unknown;
  try {
    await verb();
  } catch (error) {
    failure = error;
  }
  try {
    const settings = await factory.settings();
    const { appendAudit } = await import('../../../adapters/audit-trail.js');
    for (const name of names.length ? names : [undefined]) {
      const profile = (name === undefined ? undefined : settings.profile(name)) ?? before.get(name ?? '');
      const clientId = clientIdOf({ flags: { clientId: factory.globals.clientId }, env: factory.env, profileClientId: profile?.clientId })?.[0];
      const record: AuditRecord = {
        time: factory.clock.now().toISOString(),
        user: osUser(),
        action,
        ...(name === undefined ? {} : { profile: name }),
        ...(profile?.appId ? { appId: profile.appId } : {}),
        ...(clientId ? { clientId } : {}),
        ...(profile?.sellingPartnerId ? { sellingPartnerId: profile.sellingPartnerId } : {}),
        ...(profile?.region ? { region: profile.region } : {}),
        outcome: failure === undefined ? 'ok' : 'error',
        ...(failure === undefined ? {} : { error: failure instanceof SpapiError ? failure.kind : 'internal' }),
      };
      await appendAudit(factory.configDir(), record);
    }
  } catch (error) {
    factory.io.err(`warning: the audit trail cannot be written: ${(error as Error).message}`);
  }
  if (failure !== undefined) throw failure;
}

/** The profile a verb acts on: --profile, SPAPI_PROFILE, the current one. */
export async function currentProfile(factory: Factory): Promise<string[]> {
  return [await factory.profileName()];
}
