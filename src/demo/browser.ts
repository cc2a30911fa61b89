// The demo's "browser": spapi opens the consent URL with $BROWSER; this follows it like a user who
// clicks Authorize — load the consent page, submit its Authorize form, follow the redirect to spapi's
// loopback listener. It runs as a script of its own (dist/demo/browser.js), never imported.
const consent = new URL(process.argv[2] ?? '');
const page = await fetch(consent);
const html = await page.text();
const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
if (!form) {
  console.error(`demo browser: no Authorize form on ${consent.origin}${consent.pathname} (HTTP ${page.status})`);
  process.exit(1);
}
const fields = new URLSearchParams();
for (const [, name = '', value = ''] of (form[2] ?? '').matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/gi)) fields.set(name, value.replace(/&amp;/g, '&'));
const answer = await fetch(new URL((form[1] ?? '').replace(/&amp;/g, '&'), consent), { method: 'POST', body: fields, redirect: 'follow' });
process.exit(answer.ok ? 0 : 1);
