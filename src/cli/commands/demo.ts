import type { Command } from '@commander-js/extra-typings';
import { SpapiError } from '../../core/errors.js';
import type { CommandContext } from '../command.js';

export function register(command: Command, context: CommandContext): void {
  command
    .addHelpText('after', `
Runs the main job end to end against the built-in emulator, with real output: login through the
consent page, the catalog, sellers, orders, a paginated call, rows as CSV, a report downloaded and
converted, a Data Kiosk query, a feed with one failing message, a request and a body rejected
before sending, an example body, the rate-limit buckets, the authorization audit trail, and
tv-check on an example app (and on a copy with a leaked token). Each step is this package's own
spapi, run as a user would; the expected exit code of each is in its title.

The emulator listens on a free loopback port of this process; profiles, secrets (file store),
the rate-limit buckets and the report go to a temporary SPAPI_CONFIG_DIR, which is removed at the
end. Nothing reaches Amazon, your keychain or your own profiles. Exit 0 when every step ended as
expected, 70 when one did not (a bug: report it with the output), 130 on Ctrl-C.

Examples:
  spapi demo
  NO_COLOR=1 spapi demo > demo.txt

Environment: NO_COLOR, TMPDIR (where the temporary config dir goes), PATH and HOME (passed on to the
steps); every other variable, SPAPI_* included, is left out of the steps' environment.`)
    .action(async () => run(context));
}

export async function run({ factory, signal }: CommandContext): Promise<void> {
  const { runDemo } = await import('../../demo/index.js');
  const { io } = factory;
  const result = await runDemo({ out: io.out, bold: io.stdoutIsTTY && io.color, env: factory.env, signal });
  if (result.failed.length > 0) {
    throw new SpapiError('internal', `${result.failed.length} of ${result.steps} demo steps did not end as expected: ${result.failed.join('; ')}`, {
      hint: 'the demo runs spapi against its own emulator, so this is a bug: please report it with the output above',
    });
  }
}
