import { UsageError } from '../errors.js';

/** Amazon caps a Data Kiosk query at 8,000 characters "without needless whitespace" (spapi-facts §11). */
export const MAX_QUERY_CHARS = 8000;

const NAME = /[A-Za-z0-9_]/;

/**
 * The query as sent and measured: compactQueryText, refused (UsageError) when empty or over
 * Amazon's cap, before anything is sent.
 */
export function compactQuery(text: string): string {
  const out = compactQueryText(text);
  if (out.length === 0) throw new UsageError('the Data Kiosk query is empty');
  if (out.length > MAX_QUERY_CHARS) {
    throw new UsageError(`the Data Kiosk query is ${out.length} characters without needless whitespace; Amazon accepts at most ${MAX_QUERY_CHARS}`, {
      hint: 'ask for fewer fields, or split it into several queries',
    });
  }
  return out;
}

/**
 * The query with comments and needless whitespace removed: strings are kept as written, and one
 * space stays only between two names or numbers (`query q` must not become `queryq`). The one
 * measure of a query's length, for spapi and its emulator alike.
 */
export function compactQueryText(text: string): string {
  let out = '';
  let pendingSpace = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '"') {
      const end = stringEnd(text, i);
      pendingSpace = false;
      out += text.slice(i, end);
      i = end - 1;
    } else if (char === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      pendingSpace = true;
    } else if (/\s/.test(char)) {
      pendingSpace = true;
    } else {
      if (pendingSpace && NAME.test(out.at(-1) ?? '') && (NAME.test(char) || char === '$' || char === '.')) out += ' ';
      pendingSpace = false;
      out += char;
    }
  }
  return out;
}

/** Index just past the string starting at `start` (a `"…"` string with escapes, or a `"""…"""` block string). */
function stringEnd(text: string, start: number): number {
  if (text.startsWith('"""', start)) {
    const close = text.indexOf('"""', start + 3);
    return close === -1 ? text.length : close + 3;
  }
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}
