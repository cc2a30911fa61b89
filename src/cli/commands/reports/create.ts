import type { Command } from '@commander-js/extra-typings';
import type { CommandContext } from '../../command.js';
import { reportRequest } from './shared.js';
import { collect } from '../shared/flags.js';
import { environment, SP_API_ENV } from '../shared/help.js';

export interface CreateOptions {
  reportType: string;
  start?: string | undefined;
  end?: string | undefined;
  option: string[];
}

export function register(reports: Command, context: CommandContext): void {
  reports
    .command('create')
    .description('request a report and print its id (createReport); `reports download <id>` fetches it later')
    .argument('<reportType>')
    .option('--start <age|date>', 'dataStartTime: an age like 30d, a date or ISO 8601')
    .option('--end <age|date|now>', 'dataEndTime')
    .option('--option <key=value>', 'a reportOptions entry; repeat for more', collect, [] as string[])
    .addHelpText('after', `
Examples:
  spapi reports create GET_MERCHANT_LISTINGS_ALL_DATA --marketplace DE
  spapi reports create GET_FBA_MYI_UNSUPPRESSED_INVENTORY_DATA --marketplace US -o json${environment(SP_API_ENV)}`)
    .action(async (reportType, options) => run(context, { reportType, ...options }));
}

export async function run({ factory, signal }: CommandContext, options: CreateOptions): Promise<void> {
  const request = await reportRequest(factory, options);
  const { createReport } = await import('../../../core/reports/reports.js');
  const reportId = await createReport(await factory.operations(), request, signal);
  await factory.printer('id').record({ reportId }, { human: () => `${reportId}\n` });
}
