/**
 * The repository scan: every pack pattern over every listed file, once. A pattern's keywords
 * are looked for first (a plain substring search), so the regex only runs on the few files that
 * can match — the same trick gitleaks uses, and what keeps the scan near `git grep` speed.
 */
import { closeSync, openSync, readSync, fstatSync } from 'node:fs';
import { join } from 'node:path';
import type { OperationSpec } from '../catalog/types.js';
import { qualifiedName } from '../catalog/lookup.js';
import type { PatternSpec, PolicyPack } from './pack.js';
import type { RepositoryFacts, SkippedFile } from './types.js';
import { lineIndex, lineStarts } from './text-lines.js';

const CODE_EXTENSIONS = new Set([
  'ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs', 'vue', 'svelte', 'py', 'rb', 'php', 'java', 'kt', 'kts', 'scala',
  'cs', 'go', 'rs', 'swift', 'sh', 'bash', 'zsh', 'ps1', 'pl', 'ex', 'exs', 'groovy', 'dart', 'lua', 'r',
]);
/** Git's rule: a NUL byte in the first 8000 bytes makes a file binary. */
const BINARY_SNIFF = 8000;
const LINE_CAP = 300;

interface CompiledPattern {
  spec: PatternSpec;
  regex: RegExp;
  keywords: string[];
  caseInsensitive: boolean;
}

/** What the scan adds to the repository facts (types.ts), plus how many files it read. */
export type ScanResult = Pick<RepositoryFacts, 'scannedBytes' | 'skipped' | 'matches' | 'operationCalls' | 'inlineIgnores' | 'markers'> & { scannedFiles: number };

export interface ScanOptions {
  root: string;
  files: readonly string[];
  pack: PolicyPack;
  operations: readonly OperationSpec[];
  maxFileBytes: number;
}

function compile(pack: PolicyPack): CompiledPattern[] {
  const deprecations = pack.deprecations.map((entry): PatternSpec => ({ id: `deprecation:${entry.id}`, regex: entry.pattern, keywords: entry.keywords, scope: 'all' }));
  return [...pack.patterns, ...deprecations].map((spec) => {
    const caseInsensitive = spec.flags?.includes('i') ?? false;
    return {
      spec,
      regex: new RegExp(spec.regex, `gm${spec.flags ?? ''}`),
      keywords: caseInsensitive ? spec.keywords.map((word) => word.toLowerCase()) : spec.keywords,
      caseInsensitive,
    };
  });
}

/**
 * All keywords of a case group as one alternation, so a file is searched once for every keyword
 * instead of once per keyword (the per-keyword search was 40% of a scan). Longer keywords come
 * first; a keyword inside a found one is found too, since the alternation reports one per place.
 */
class KeywordFinder {
  readonly #regex: RegExp | undefined;
  readonly #contained = new Map<string, string[]>();
  readonly #fold: boolean;

  constructor(keywords: Iterable<string>, fold: boolean) {
    const unique = [...new Set(keywords)].sort((a, b) => b.length - a.length || a.localeCompare(b));
    this.#fold = fold;
    this.#regex = unique.length ? new RegExp(unique.map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), fold ? 'gi' : 'g') : undefined;
    for (const word of unique) this.#contained.set(word, unique.filter((other) => other !== word && word.includes(other)));
  }

  /** The keywords that occur in text (lower-cased for a folding finder). */
  find(text: string): Set<string> {
    const found = new Set<string>();
    if (!this.#regex) return found;
    this.#regex.lastIndex = 0;
    for (const match of text.matchAll(this.#regex)) {
      const word = this.#fold ? match[0].toLowerCase() : match[0];
      if (found.has(word)) continue;
      found.add(word);
      for (const inner of this.#contained.get(word) ?? []) found.add(inner);
    }
    return found;
  }
}

function extension(path: string): string {
  const dot = path.lastIndexOf('.');
  return dot > path.lastIndexOf('/') ? path.slice(dot + 1).toLowerCase() : '';
}

/** Turns `/orders/v0/orders/{orderId}` into a regex that accepts `${id}`, `:id`, `{id}` or a value per parameter. */
function templateRegex(path: string): RegExp {
  const parts = path.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('(?:\\$\\{[^}]*\\}|\\{[^}]*\\}|:[A-Za-z_]\\w*|[^/]+)')}/?$`);
}

interface OperationIndex {
  byQualifiedName: Map<string, OperationSpec[]>;
  byOperationId: Map<string, OperationSpec[]>;
  /** Keyed by the first path segment and version, e.g. `orders/v0`. */
  byPrefix: Map<string, Array<{ spec: OperationSpec; regex: RegExp }>>;
}

function pathPrefix(path: string): string {
  const segments = path.split('/').filter(Boolean);
  const version = segments.findIndex((segment) => /^(?:v\d+|\d{4}-\d{2}-\d{2})$/.test(segment));
  return segments.slice(0, version + 1).join('/');
}

function indexOperations(operations: readonly OperationSpec[]): OperationIndex {
  const index: OperationIndex = { byQualifiedName: new Map(), byOperationId: new Map(), byPrefix: new Map() };
  const push = <K, V>(map: Map<K, V[]>, key: K, value: V): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const spec of operations) {
    push(index.byQualifiedName, qualifiedName(spec), spec);
    push(index.byOperationId, spec.operationId, spec);
    push(index.byPrefix, pathPrefix(spec.path), { spec, regex: templateRegex(spec.path) });
  }
  return index;
}

/** A flat copy of a slice: V8 slices point into their parent, the whole file text. */
function detach(text: string): string {
  return text.length < 16 ? text : Buffer.from(text, 'utf8').toString('utf8');
}



function readText(file: string, maxBytes: number): { text: string; size: number } | SkippedFile['reason'] | { tooLarge: number } {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return 'unreadable';
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return { tooLarge: size };
    const buffer = Buffer.allocUnsafe(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buffer, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    const head = buffer.subarray(0, Math.min(read, BINARY_SNIFF));
    if (head.includes(0)) return 'binary';
    return { text: buffer.toString('utf8', 0, read), size: read };
  } catch {
    return 'unreadable';
  } finally {
    closeSync(fd);
  }
}

/** A line that is a comment as a whole (its start is all the scan can tell cheaply). */
const COMMENT_LINE = /^(?:\/\/|\/\*|\*|#|<!--|--)/;

const INLINE = /spapi-tv-ignore\s+(TV-[A-Z]+-\d{3})(?:\s+--\s*(.*?))?\s*(?:\*\/|-->)?\s*$/;
/** A directive opens a comment: `// spapi-tv-ignore`, `# …`, `/* …`, `<!-- …`, `-- …`, `; …`, or a ` * ` line of a block. */
const DIRECTIVE_OPENER = /(?:\/\/|#|\/\*|<!--|--|;|^\s*\*)\s*$/;
/** In Markdown `#` is a heading and `//` is text: only an HTML comment is a directive there. */
const MARKDOWN_OPENER = /<!--\s*$/;
const MARKDOWN = new Set(['md', 'markdown', 'mdx']);

/** Scans the files; pure apart from reading them. */
export function scanFiles(options: ScanOptions): ScanResult {
  const patterns = compile(options.pack);
  const exactKeywords = new KeywordFinder(patterns.filter((p) => !p.caseInsensitive).flatMap((p) => p.keywords), false);
  const foldedKeywords = new KeywordFinder(patterns.filter((p) => p.caseInsensitive).flatMap((p) => p.keywords), true);
  const frontend = options.pack.frontendPaths.map((source) => new RegExp(source));
  const index = indexOperations(options.operations);
  const result: ScanResult = {
    scannedFiles: 0,
    scannedBytes: 0,
    skipped: [],
    matches: [],
    operationCalls: [],
    inlineIgnores: [],
    markers: new Map(),
  };
  for (const path of options.files) {
    const read = readText(join(options.root, path), options.maxFileBytes);
    if (typeof read === 'string') {
      result.skipped.push({ path, reason: read });
      continue;
    }
    if ('tooLarge' in read) {
      result.skipped.push({ path, reason: 'too-large', size: read.tooLarge });
      continue;
    }
    result.scannedFiles += 1;
    result.scannedBytes += read.size;
    const { text } = read;
    const isCode = CODE_EXTENSIONS.has(extension(path));
    const isFrontend = isCode && frontend.some((regex) => regex.test(path));
    let starts: number[] | undefined;
    const position = (offset: number): { line: number; column: number; lineText: string } => {
      starts ??= lineStarts(text);
      const line = lineIndex(starts, offset);
      const start = starts[line] ?? 0;
      // The next line's start, not indexOf: a 1 MB one-line bundle would be searched per match.
      const next = starts[line + 1];
      const end = Math.min(next === undefined ? text.length : next - 1, start + LINE_CAP * 4);
      // A copy, so that a kept line does not keep the whole file's text alive.
      const lineText = detach(text.slice(start, end).trim().slice(0, LINE_CAP));
      return { line: line + 1, column: offset - start + 1, lineText };
    };
    const exact = exactKeywords.find(text);
    const folded = foldedKeywords.find(text);
    for (const pattern of patterns) {
      const { spec } = pattern;
      if (spec.scope === 'code' && !isCode) continue;
      if (spec.scope === 'frontend' && !isFrontend) continue;
      if (pattern.keywords.length > 0) {
        const present = pattern.caseInsensitive ? folded : exact;
        if (!pattern.keywords.some((word) => present.has(word))) continue;
      }
      pattern.regex.lastIndex = 0;
      if (spec.marker) {
        if (pattern.regex.test(text)) {
          const set = result.markers.get(path);
          if (set) set.add(spec.id);
          else result.markers.set(path, new Set([spec.id]));
        }
        continue;
      }
      for (const found of text.matchAll(pattern.regex)) {
        const offset = found.index;
        const matched = detach(found[0]);
        if (spec.id === 'api-path' || spec.id === 'qualified-operation' || spec.id === 'operation-id-literal') {
          const calls = recognise(spec.id, found[1] ?? matched, index);
          if (calls.length === 0) continue;
          const where = position(offset);
          // An operation named in a comment is documentation, not a call.
          if (COMMENT_LINE.test(where.lineText)) continue;
          for (const operation of calls) {
            result.operationCalls.push({ operation, path, line: where.line, column: where.column, via: VIA[spec.id], text: matched });
          }
          continue;
        }
        const where = position(offset);
        if (spec.id === 'inline-ignore') {
          // Prose that mentions the directive (a README, a help text) suppresses nothing.
          const before = text.slice(offset - where.column + 1, offset);
          if (!(MARKDOWN.has(extension(path)) ? MARKDOWN_OPENER : DIRECTIVE_OPENER).test(before)) continue;
          const parsed = INLINE.exec(where.lineText);
          if (parsed?.[1]) result.inlineIgnores.push({ path, line: where.line, ruleId: parsed[1], reason: (parsed[2] ?? '').trim() });
          continue;
        }
        result.matches.push({ pattern: spec.id, path, line: where.line, column: where.column, text: matched, lineText: where.lineText });
      }
    }
  }
  return result;
}

const VIA = { 'api-path': 'path', 'qualified-operation': 'name', 'operation-id-literal': 'operationId' } as const;

function recognise(kind: string, text: string, index: OperationIndex): OperationSpec[] {
  if (kind === 'qualified-operation') return index.byQualifiedName.get(text) ?? [];
  if (kind === 'operation-id-literal') {
    // 'getOrder' alone names operations of several APIs: only an id of one API family is a call.
    const specs = index.byOperationId.get(text) ?? [];
    return new Set(specs.map((spec) => spec.family)).size === 1 ? specs : [];
  }
  const path = text.split('?')[0] ?? text;
  const candidates = index.byPrefix.get(pathPrefix(path));
  if (!candidates) return [];
  return candidates.filter(({ regex }) => regex.test(path)).map(({ spec }) => spec);
}
