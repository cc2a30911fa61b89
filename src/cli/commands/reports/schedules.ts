import type { Command } from '@commander-js/extra-typings';
import { UsageError } from '../../../core/errors.js';
import type { CommandContext } from '../../command.js';
import type { Column } from '../../output/columns.js';
import { reportMarketplaces, reportOptions } from './shared.js';
import { collect } from '../shared/flags.js';
import { environment, SP_API_ENV } from '../shared/help.js';

const SCHEDULE_COLUMNS: Column[] = [
  { header: 'schedule', path: 'reportScheduleId', role: 'key' },
  { header: 'type', path: 'reportType' },
  { header: 'period', path: 'period' },
  { header: 'next', path: 'nextReportCreationTime' },
  { header: 'marketplaces', path: 'marketplaceIds', role: 'optional' },
];

/** Amazon's schedule periods (createReportSchedule `period`). */
const PERIODS = ['PT5M', 'PT15M', 'PT30M', 'PT1H', 'PT2H', 'PT4H', 'PT8H', 'PT12H', 'P1D', 'P2D', 'P3D', 'PT84H', 'P7D', 'P14D', 'P15D', 'P18D', 'P30D', 'P1M'];

export function register(reports: Command, context: CommandContext): void {
  const schedules = reports
    .command('schedules')
    .description('report schedules: list, create, cancel')
    .addHelpText('after', `
Examples:
  spapi reports schedules list --types GET_MERCHANT_LISTINGS_ALL_DATA --region eu
  spapi reports schedules create GET_MERCHANT_LISTINGS_ALL_DATA --period P1D --marketplace DE${environment(SP_API_ENV)}`);
  schedules
    .command('list')
    .description('schedules of the given report types (getReportSchedules)')
    .requiredOption('--types <list>', 'comma-separated report types')
    .addHelpText('after', `
Examples:
  spapi reports schedules list --types GET_MERCHANT_LISTINGS_ALL_DATA --region eu${environment(SP_API_ENV)}`)
    .action(async (options) => {
      const { REPORTS_OPS } = await import('../../../core/reports/reports.js');
      const body = await (await context.factory.operations()).json<{ reportSchedules?: unknown[] }>(REPORTS_OPS.schedules, {
        params: [['reportTypes', options.types.split(',').map((t) => t.trim())]],
        signal: context.signal,
      });
      await context.factory.printer('list').list(body?.reportSchedules ?? [], { columns: SCHEDULE_COLUMNS, document: body });
    });
  schedules
    .command('create')
    .description('have Amazon create a report every period (createReportSchedule)')
    .argument('<reportType>')
    .requiredOption('--period <period>', `ISO 8601 period: ${PERIODS.join(', ')}`)
    .option('--next <date>', 'when the next report is created (nextReportCreationTime)')
    .option('--option <key=value>', 'a reportOptions entry; repeat for more', collect, [] as string[])
    .addHelpText('after', `
Examples:
  spapi reports schedules create GET_MERCHANT_LISTINGS_ALL_DATA --period P1D --marketplace DE${environment(SP_API_ENV)}`)
    .action(async (reportType, options) => {
      if (!PERIODS.includes(options.period)) throw new UsageError(`--period ${options.period}: use one of ${PERIODS.join(', ')}`);
      const { factory, signal } = context;
      const { parseInstant } = await import('../../../core/duration.js');
      const { REPORTS_OPS } = await import('../../../core/reports/reports.js');
      const body = {
        reportType,
        marketplaceIds: await reportMarketplaces(factory),
        period: options.period,
        ...(options.next ? { nextReportCreationTime: parseInstant(options.next, '--next', factory.clock.now()) } : {}),
        ...(options.option.length ? { reportOptions: reportOptions(options.option) } : {}),
      };
      const answer = await (await factory.operations()).json<{ reportScheduleId?: string }>(REPORTS_OPS.createSchedule, { body, signal });
      await factory.printer('id').record(answer ?? {}, { human: () => `${answer?.reportScheduleId ?? ''}\n` });
    });
  schedules
    .command('cancel')
    .description('stop a report schedule (cancelReportSchedule)')
    .argument('<reportScheduleId>')
    .addHelpText('after', `
Examples:
  spapi reports schedules cancel 50821877009 --region eu${environment(SP_API_ENV)}`)
    .action(async (reportScheduleId) => {
      const { REPORTS_OPS } = await import('../../../core/reports/reports.js');
      await (await context.factory.operations()).json(REPORTS_OPS.cancelSchedule, { params: [['reportScheduleId', reportScheduleId]], signal: context.signal });
      context.factory.io.err(`report schedule ${reportScheduleId} cancelled`);
    });
}
