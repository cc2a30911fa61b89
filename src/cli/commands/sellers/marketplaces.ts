import { pickFormat, render } from '../../output.js';
import type { CommandContext } from '../../program.js';
import { callJson } from '../shared/friendly.js';

/** `spapi sellers marketplaces`: getMarketplaceParticipations as a table on a TTY, the API's payload as JSON in a pipe. */
export async function run({ factory, signal }: CommandContext): Promise<void> {
  const body = (await callJson(factory, 'sellers.getMarketplaceParticipations', [], signal)) as { payload?: unknown[] } | undefined;
  const rows = body?.payload ?? [];
  await render(factory.io, pickFormat(factory.globals.output, factory.io), rows, rows, [
    { header: 'marketplace', path: 'marketplace.id' },
    { header: 'country', path: 'marketplace.countryCode' },
    { header: 'name', path: 'marketplace.name' },
    { header: 'currency', path: 'marketplace.defaultCurrencyCode' },
    { header: 'language', path: 'marketplace.defaultLanguageCode' },
    { header: 'domain', path: 'marketplace.domainName' },
    { header: 'participating', path: 'participation.isParticipating' },
    { header: 'suspended listings', path: 'participation.hasSuspendedListings' },
  ]);
}
