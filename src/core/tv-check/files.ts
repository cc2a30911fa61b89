/**
 * Which files tv-check reads: the git-tracked ones (what reaches the remote is what leaks), or a
 * directory walk honouring .gitignore when the folder is not a work tree; minus vendored and
 * generated folders and the paths in `.spapi-tvignore`. Gitignore semantics come from `ignore`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { SpapiError } from '../errors.js';

export const TV_IGNORE_FILE = '.spapi-tvignore';

export interface FileListing {
  git: boolean;
  /** Repository-relative, forward slashes, sorted. */
  files: string[];
  /** Tracked files a .gitignore rule covers (committed before the rule was written). */
  trackedButIgnored: string[];
  /** Files left out by `.spapi-tvignore`. */
  ignoredByTvIgnore: number;
  /** Files left out because a path segment is a vendored or generated folder. */
  vendored: number;
}

function gitFiles(root: string, args: string[]): string[] | undefined {
  try {
    const out = execFileSync('git', ['-C', root, 'ls-files', '-z', ...args], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

/**
 * Tracked regular files, from `git ls-files --stage`: a symlink (mode 120000) is committed as the
 * path it points to, not the target's content, which may lie outside the repository (a home
 * folder's credentials); a submodule (160000) is another repository. Neither is read.
 */
function trackedFiles(root: string): string[] | undefined {
  const entries = gitFiles(root, ['--stage']);
  if (!entries) return undefined;
  const files = new Set<string>();
  for (const entry of entries) {
    const tab = entry.indexOf('\t');
    const mode = entry.slice(0, entry.indexOf(' '));
    // Regular files (100644, 100755, old 100664); one path per file even while a merge conflict lists it in several stages.
    if (tab !== -1 && mode.startsWith('100')) files.add(entry.slice(tab + 1));
  }
  return [...files];
}

function readIgnoreFile(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Git's precedence: a deeper .gitignore overrides a shallower one, so its `!pattern` re-includes
 * what a parent ignored. The last file with a verdict on the path (ignored or unignored) decides.
 */
function isIgnored(rules: ReadonlyArray<{ base: string; matcher: Ignore }>, rel: string, isDir: boolean): boolean {
  let ignored = false;
  for (const { base, matcher } of rules) {
    const inBase = base ? rel.slice(base.length + 1) : rel;
    const verdict = matcher.test(isDir ? `${inBase}/` : inBase);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

/** Walks a plain folder; nested .gitignore files apply below their folder, as in git. */
function walk(root: string, skip: ReadonlySet<string>): { files: string[]; vendored: number } {
  const files: string[] = [];
  let vendored = 0;
  const visit = (dir: string, rules: Array<{ base: string; matcher: Ignore }>): void => {
    const local = readIgnoreFile(join(dir, '.gitignore'));
    const relDir = relative(root, dir).split(sep).join('/');
    const scoped = local === undefined ? rules : [...rules, { base: relDir, matcher: ignore().add(local) }];
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const rel = relDir ? `${relDir}/${entry.name}` : entry.name;
      const isDir = entry.isDirectory();
      if (isDir && skip.has(entry.name)) {
        vendored += 1;
        continue;
      }
      if (!isDir && !entry.isFile()) continue;
      if (isIgnored(scoped, rel, isDir)) continue;
      if (isDir) visit(join(dir, entry.name), scoped);
      else files.push(rel);
    }
  };
  visit(root, []);
  return { files, vendored };
}

/** Lists the files to scan under root. */
export function listFiles(root: string, skipDirectories: readonly string[]): FileListing {
  const hint = 'pass the repository or folder to check (default: the current directory)';
  if (!existsSync(root)) throw new SpapiError('usage', `${root}: no such directory`, { hint });
  if (!statSync(root).isDirectory()) throw new SpapiError('usage', `${root}: not a directory`, { hint });
  const skip = new Set(skipDirectories);
  // Outside a work tree git exits 128: then the folder is walked.
  // A folder of a work tree with nothing committed yet is walked: scanning nothing would pass it.
  const listed = trackedFiles(root);
  const tracked = listed && listed.length > 0 ? listed : undefined;
  let files: string[];
  let vendored = 0;
  let trackedButIgnored: string[] = [];
  if (tracked) {
    files = [];
    for (const file of tracked) {
      // Folders only, as in the walk: a build script named `build` is code, not a build folder.
      if (file.split('/').slice(0, -1).some((segment) => skip.has(segment))) vendored += 1;
      else files.push(file);
    }
    trackedButIgnored = gitFiles(root, ['--cached', '--ignored', '--exclude-standard']) ?? [];
  } else {
    ({ files, vendored } = walk(root, skip));
  }
  const tvIgnore = readIgnoreFile(join(root, TV_IGNORE_FILE));
  let ignoredByTvIgnore = 0;
  if (tvIgnore !== undefined) {
    const matcher = ignore().add(tvIgnore);
    const before = files.length;
    files = files.filter((file) => !matcher.ignores(file));
    ignoredByTvIgnore = before - files.length;
  }
  files.sort();
  return { git: tracked !== undefined, files, trackedButIgnored, ignoredByTvIgnore, vendored };
}
