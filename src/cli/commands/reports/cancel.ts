import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export function register(reports: Command, context: CommandContext): void {
  reports
    .command('cancel')
    .description('cancel a report that is still IN_QUEUE (cancelReport)')
    .argument('<reportId>')
    .addHelpText('after', `
Examples:
  spapi reports cancel 50821877003${environment(SP_API_ENV)}`)
    .action(async (reportId) => run(context, { reportId }));
}

export async function run({ factory, signal }: CommandContext, options: { reportId: string }): Promise<void> {
  const { REPORTS_OPS } = await import('../../../core/reports/reports.js');
  await (await factory.operations()).json(REPORTS_OPS.cancel, { params: [['reportId', options.reportId]], signal });
  factory.io.err(`report ${options.reportId} cancelled`);
}
