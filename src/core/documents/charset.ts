import { createRequire } from 'node:module';
import { UsageError } from '../errors.js';

type Iconv = typeof import('iconv-lite');

// Loaded on first use: a download of a UTF-8 document, and every other command, never pays for
// iconv-lite's codec tables.
const require = createRequire(import.meta.url);
let iconv: Iconv | undefined;
/** iconv-lite, loaded on first use. */
export function loadIconv(): Iconv {
  iconv ??= require('iconv-lite') as Iconv;
  return iconv;
}

/** The charset UTF-8 documents are read with when nothing says otherwise. */
export const UTF8 = 'utf-8';

export function isUtf8Charset(name: string): boolean {
  return /^utf-?8$/i.test(name.trim());
}

/** Whether iconv-lite knows `name` (it ignores case and punctuation: Cp1252, windows-31j, Shift_JIS…). */
export function isKnownCharset(name: string): boolean {
  return isUtf8Charset(name) || loadIconv().encodingExists(name.trim());
}

/** Refuses a charset name iconv-lite does not know, before anything is downloaded. */
export function checkCharset(name: string, option: string): void {
  if (name.trim() === '' || !isKnownCharset(name)) {
    throw new UsageError(`${option}: unknown charset "${name}"`, {
      hint: 'Use a name such as utf8, cp1252 (windows-1252), shift_jis, windows-31j (cp932) or euc-jp.',
    });
  }
}

/** The `charset=` parameter of a Content-Type, unquoted; undefined when there is none. */
export function charsetOfContentType(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const match = /;\s*charset\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(contentType);
  const value = (match?.[1] ?? match?.[2])?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The charset a document is read with. An explicit `encoding` wins; with 'auto' the Content-Type's
 * charset (when iconv-lite knows it), else the caller's `defaultCharset` (Amazon serves JP flat
 * files as Shift_JIS/windows-31j and many EU/US ones as Cp1252 without saying so), else UTF-8.
 */
export function chooseCharset(encoding: string, contentType: string | undefined, defaultCharset: string | undefined): string {
  if (encoding !== 'auto') return encoding;
  const declared = charsetOfContentType(contentType);
  if (declared !== undefined && isKnownCharset(declared)) return declared;
  return defaultCharset ?? UTF8;
}
