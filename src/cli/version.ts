import { readFileSync } from 'node:fs';

let manifest: { version: string; engines?: { node?: string } } | undefined;

function packageJson(): { version: string; engines?: { node?: string } } {
  manifest ??= JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string; engines?: { node?: string } };
  return manifest;
}

/** spapi's version, read once from package.json (two levels above dist/cli). */
export function spapiVersion(): string {
  return packageJson().version;
}

/** The Node versions spapi supports, package.json's `engines.node` (`spapi doctor` checks it). */
export function nodeEngines(): string {
  return packageJson().engines?.node ?? '>=20.18';
}

/** `spapi/<version> (Language=TypeScript; Platform=<os>)`, the form SP-API asks every caller to send. */
export function userAgent(): string {
  return `spapi/${spapiVersion()} (Language=TypeScript; Platform=${process.platform})`;
}
