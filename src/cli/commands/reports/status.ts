import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { REPORT_COLUMNS } from './shared.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export function register(reports: Command, context: CommandContext): void {
  reports
    .command('status')
    .description('one report: its processing status and document (getReport)')
    .argument('<reportId>')
    .addHelpText('after', `
Examples:
  spapi reports status 50821877003
  spapi reports status 50821877003 -o json${environment(SP_API_ENV)}`)
    .action(async (reportId) => run(context, { reportId }));
}

export async function run({ factory, signal }: CommandContext, options: { reportId: string }): Promise<void> {
  const { getReport } = await import('../../../core/reports/reports.js');
  const report = await getReport(await factory.operations(), options.reportId, signal);
  await factory.printer('record').record(report, { columns: REPORT_COLUMNS });
}
