import { pickFormat, render } from '../../output.js';
import type { CommandContext } from '../../program.js';
import { callJson } from '../shared/friendly.js';
import { PARTICIPATION_COLUMNS } from '../shared/participations.js';

/** `spapi sellers marketplaces`: getMarketplaceParticipations as a table on a TTY, the API's payload as JSON in a pipe. */
export async function run({ factory, signal }: CommandContext): Promise<void> {
  const body = (await callJson(factory, 'sellers.getMarketplaceParticipations', [], signal)) as { payload?: unknown[] } | undefined;
  const rows = body?.payload ?? [];
  await render(factory.io, pickFormat(factory.globals.output, factory.io), rows, rows, PARTICIPATION_COLUMNS);
}
