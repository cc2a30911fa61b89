import { readFileSync } from 'node:fs';

let version: string | undefined;

/** spapi's version, read once from package.json (two levels above dist/cli). */
export function spapiVersion(): string {
  version ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return version;
}

/** `spapi/<version> (Language=TypeScript; Platform=<os>)`, the form SP-API asks every caller to send. */
export function userAgent(): string {
  return `spapi/${spapiVersion()} (Language=TypeScript; Platform=${process.platform})`;
}
