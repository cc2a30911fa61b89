// A stand-in for the user's browser (BROWSER="node test/keychain/fake-browser.mjs"): opens the URL
// the CLI hands it and follows the redirects, as a browser does when the consent page auto-approves,
// so the emulator's 302 lands on the CLI's loopback listener. Appends `<status> <final URL>` to
// $FAKE_BROWSER_LOG when set.
import { appendFileSync } from 'node:fs';

const url = process.argv[2];
if (!url) {
  console.error('usage: fake-browser.mjs <url>');
  process.exit(2);
}
const response = await fetch(url, { redirect: 'follow' });
await response.arrayBuffer();
if (process.env.FAKE_BROWSER_LOG) appendFileSync(process.env.FAKE_BROWSER_LOG, `${response.status} ${response.url}\n`);
process.exit(response.ok ? 0 : 1);
