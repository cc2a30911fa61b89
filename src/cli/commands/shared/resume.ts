import { ApiError, SpapiError } from '../../../core/errors.js';

/** A word as a POSIX shell reads it back: bare when safe, else in single quotes. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line that continues a stopped listing: the user's own words without any earlier
 * --starting-token, plus the token of the first page not printed.
 */
export function resumeCommand(argv: readonly string[], token: string): string {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i] ?? '';
    if (word === '--starting-token') {
      i++;
      continue;
    }
    if (word.startsWith('--starting-token=')) continue;
    words.push(word);
  }
  return ['spapi', ...words, '--starting-token', token].map(shellQuote).join(' ');
}

/**
 * What stderr says when a listing stopped early: where it got to and how to go on. Before the
 * first page, running it again helps only when the failure may pass (network, throttling, a 5xx);
 * a refused parameter would fail the same way, and its error line says why.
 */
export function stoppedListing(argv: readonly string[], resumeAt: string | undefined, pages: number, error?: unknown): string[] {
  if (resumeAt === undefined) {
    return pages === 0 && mayPass(error) ? ['the listing stopped before its first page: run the same command again'] : [];
  }
  return [`the listing stopped after ${pages} page${pages === 1 ? '' : 's'}; what was fetched is printed above. Resume with:`, `  ${resumeCommand(argv, resumeAt)}`];
}

function mayPass(error: unknown): boolean {
  if (error instanceof ApiError) return error.status >= 500;
  return !(error instanceof SpapiError && (error.kind === 'usage' || error.kind === 'auth'));
}
