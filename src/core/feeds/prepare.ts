import { open, readFile, stat } from 'node:fs/promises';
import { charsetOfContentType } from '../documents/charset.js';
import { UsageError } from '../errors.js';
import { checkFileCharset } from './charset-check.js';
import { feedKind, isTextContentType, DEFAULT_FEED_CHARSET } from './content-types.js';
import { checkJsonListingsFeed, MAX_JSON_FEED_BYTES } from './json-listings-check.js';

export interface PreparedFeed {
  path: string;
  size: number;
  /** The charset the file was checked in; undefined for a binary type (PDF). */
  charset: string | undefined;
  /** JSON_LISTINGS_FEED: messageId → sku, for issues the report names by message only. */
  skus: Map<number, string> | undefined;
  /** JSON_LISTINGS_FEED: its messages. */
  messages: number | undefined;
  /** Advice that does not stop the upload. */
  notes: string[];
}

export interface PrepareOptions {
  feedType: string;
  /** The Content-Type the document will be created with (its charset is the one checked). */
  contentType: string;
  /** How messages name the file (`inventory.json`, `stdin`). */
  label: string;
  /** Submit a file whose content does not look like its feed type (XML for a flat-file feed…). */
  force?: boolean | undefined;
}

/**
 * Everything checked about a feed file before anything is sent, every problem of a
 * JSON_LISTINGS_FEED at once: a regular, non-empty file; text in its declared charset (the byte
 * offset of the first invalid byte otherwise); content of its feed type's kind (JSON, XML or a
 * flat file, unless forced); and for JSON_LISTINGS_FEED the schema's rules (json-listings-check).
 *
 * @throws UsageError — nothing may be uploaded then.
 */
export async function prepareFeedFile(path: string, options: PrepareOptions): Promise<PreparedFeed> {
  const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`${options.label}: cannot read the file (${error.code ?? error.message})`);
  });
  if (!info.isFile()) throw new UsageError(`${options.label} is not a regular file`);
  if (info.size === 0) throw new UsageError(`${options.label} is empty: there is nothing to submit`);
  const kind = feedKind(options.feedType);
  const charset = isTextContentType(options.contentType) ? (charsetOfContentType(options.contentType) ?? DEFAULT_FEED_CHARSET) : undefined;
  if (charset !== undefined) await checkFileCharset(path, charset, options.label);
  const notes: string[] = [];
  if (!options.force) checkShape(kind, await head(path), options);
  if (kind !== 'json') return { path, size: info.size, charset, skus: undefined, messages: undefined, notes };
  if (info.size > MAX_JSON_FEED_BYTES) {
    throw new UsageError(`${options.label} is ${info.size} bytes, over the ${MAX_JSON_FEED_BYTES / 1024 / 1024} MiB spapi checks: split it into feeds under 10 MiB (Amazon's advice)`);
  }
  const check = checkJsonListingsFeed(await readFile(path));
  if (check.problems.length) {
    const count = check.problems.at(-1)?.startsWith('… and ') ? `${check.problems.length - 1}+` : String(check.problems.length);
    throw new UsageError(check.problems.length === 1 ? `${options.label}: ${check.problems[0]}` : `${options.label} is not a valid JSON_LISTINGS_FEED: ${count} problems`, {
      problems: check.problems,
      hint: 'fix the file (schema: listings-feed-schema-v2 in amzn/selling-partner-api-models); nothing was uploaded',
    });
  }
  notes.push(...check.notes);
  return { path, size: info.size, charset, skus: check.skus, messages: check.messages, notes };
}

/** The file's first bytes, for its shape. */
async function head(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(512);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.subarray(0, bytesRead).toString('latin1');
  } finally {
    await handle.close();
  }
}

/** A JSON feed starts with `{`, an XML one with `<`, a flat file with neither (Amazon answers XML sent as a flat file with error 90012). */
function checkShape(kind: ReturnType<typeof feedKind>, start: string, options: PrepareOptions): void {
  const first = start.replace(/^(\xef\xbb\xbf|\xff\xfe|\xfe\xff)/, '').replace(/^[\s\0]+/, '').charAt(0);
  const problem =
    kind === 'json' && first !== '{' ? 'a JSON_LISTINGS_FEED is a JSON object, and this file does not start with {'
      : kind === 'xml' && first !== '<' ? `${options.feedType} is an XML feed (AmazonEnvelope), and this file does not start with <`
        : kind === 'flat-file' && first === '<' ? `${options.feedType} is a flat-file (tab-separated) feed, and this file is XML`
          : kind === 'pdf' && !start.startsWith('%PDF-') ? `${options.feedType} takes a PDF, and this file does not start with %PDF-`
            : undefined;
  if (problem) throw new UsageError(`${options.label}: ${problem}`, { hint: 'check the feed type and the file; --force submits it anyway' });
}
