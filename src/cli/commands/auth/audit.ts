import type { Command } from '@commander-js/extra-typings';
import { parseInstant } from '../../../core/duration.js';
import type { CommandContext } from '../../command.js';
import type { Column } from '../../output/columns.js';
import { environment } from '../shared/help.js';

export interface AuditOptions {
  since?: string | undefined;
}

const COLUMNS: Column[] = [
  { header: 'time', path: 'time', role: 'key' },
  { header: 'action', path: 'action', role: 'key' },
  { header: 'profile', path: 'profile' },
  { header: 'outcome', value: (row) => { const r = row as { outcome?: string; error?: string }; return r.error ? `${r.outcome} (${r.error})` : r.outcome; } },
  { header: 'user', path: 'user' },
  { header: 'selling partner', path: 'sellingPartnerId' },
  { header: 'region', path: 'region' },
  { header: 'client id', path: 'clientId', role: 'optional' },
];

export function register(auth: Command, context: CommandContext): void {
  auth
    .command('audit')
    .description('the authorization audit trail: every auth login, add, logout, switch and rotate-secret')
    .option('--since <when>', 'only events since an age (7d, 12h) or an ISO date-time')
    .addHelpText('after', `
The trail is <config dir>/audit.jsonl (0600), one JSON line per event; --profile keeps one profile's.

Examples:
  spapi auth audit --since 7d
  spapi auth audit --profile shop-eu -o json${environment(['SPAPI_CONFIG_DIR'], 'the trail is <config dir>/audit.jsonl')}`)
    .action(async (options) => run(context, options));
}

/** `spapi auth audit`: the trail, oldest first; --profile (the global flag) and --since filter it. */
export async function run({ factory }: CommandContext, options: AuditOptions): Promise<void> {
  const since = options.since === undefined ? undefined : parseInstant(options.since, '--since', factory.clock.now());
  const { readAudit } = await import('../../../adapters/audit-trail.js');
  const profile = factory.globals.profile;
  const records = (await readAudit(factory.configDir())).filter(
    (r) => (profile === undefined || r.profile === profile) && (since === undefined || Date.parse(r.time) >= Date.parse(since)),
  );
  await factory.printer('list').list(records, { columns: COLUMNS });
}
