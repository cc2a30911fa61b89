/**
 * Layer boundaries (design §1): src/core is the library and imports only node:*, undici, iconv-lite
 * and itself; nothing but src/cli imports a UI package; the emulator never imports the CLI; the
 * library entry exposes core only. Imports are read with TypeScript's own pre-processor, so
 * comments and strings do not count, while `import type`, `export … from` and `import()` do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

interface SourceFile {
  /** Repository-relative, with forward slashes: `src/core/errors.ts`. */
  path: string;
  text: string;
}

/** Packages that belong to the terminal side: only src/cli (and adapters, for their own) may use them. */
const UI_PACKAGES = ['commander', '@commander-js/', 'string-width', '@inquirer/', 'ora', 'cli-table3', 'conf', '@napi-rs/keyring', 'execa'];
/** The only packages src/core may import: the HTTP client, and the charsets of report documents (src/core/documents). */
const CORE_PACKAGES = ['undici', '@redis/client', 'iconv-lite', 'ignore', 'jsonc-parser', 'ajv', 'ajv-formats', 'randexp'];
/** Packages the build bundles into one file of dist/vendor/ (scripts/bundle-redis.mjs): importing the bundle is importing the package. */
const VENDOR_BUNDLES: Record<string, string> = { 'src/vendor/redis-client.cjs': '@redis/client' };
/** The subset design §1 reserves for src/cli alone. */
const CLI_ONLY_PACKAGES = ['commander', '@commander-js/', '@inquirer/', 'ora', 'cli-table3', 'string-width'];

function isPackage(specifier: string, names: readonly string[]): boolean {
  return names.some((name) => (name.endsWith('/') ? specifier.startsWith(name) : specifier === name || specifier.startsWith(`${name}/`)));
}

/** `src/core/x/y.ts` + `../z.js` → `src/core/z.js`; undefined for a package specifier. */
function resolveRelative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return posix.normalize(posix.join(posix.dirname(from), specifier));
}

function layerOf(resolved: string): string {
  const match = /^src\/([^/]+)\//.exec(resolved);
  return match?.[1] ?? resolved;
}

/** Why `specifier`, imported by `file`, crosses a boundary; undefined when it is allowed. */
function violation(file: string, imported: string): string | undefined {
  const bundled = VENDOR_BUNDLES[resolveRelative(file, imported) ?? ''];
  const specifier = bundled ?? imported;
  const resolved = bundled ? undefined : resolveRelative(file, specifier);
  if (file.startsWith('src/core/')) {
    if (resolved) return resolved.startsWith('src/core/') ? undefined : `core imports ${layerOf(resolved)}/ (${resolved})`;
    if (specifier.startsWith('node:') || isPackage(specifier, CORE_PACKAGES)) return undefined;
    if (isPackage(specifier, UI_PACKAGES)) return `core imports the UI package ${specifier}`;
    return `core imports ${specifier}: only node:*, ${CORE_PACKAGES.join(', ')} and core itself are allowed`;
  }
  if (file === 'src/index.ts') {
    if (resolved?.startsWith('src/core/')) return undefined;
    return `the library entry imports ${resolved ?? specifier}: it may only re-export src/core`;
  }
  if (file.startsWith('src/emulator/')) {
    if (resolved?.startsWith('src/cli/')) return `emulator imports cli/ (${resolved})`;
    if (!resolved && isPackage(specifier, UI_PACKAGES)) return `emulator imports the UI package ${specifier}`;
    return undefined;
  }
  if (!file.startsWith('src/cli/') && !resolved && isPackage(specifier, CLI_ONLY_PACKAGES)) {
    return `${specifier} may only be imported by src/cli`;
  }
  return undefined;
}

/** Every boundary violation in `files`, as `path:line: specifier — reason`. */
function findBoundaryViolations(files: readonly SourceFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    for (const imported of ts.preProcessFile(file.text, true, true).importedFiles) {
      const reason = violation(file.path, imported.fileName);
      if (!reason) continue;
      const line = file.text.slice(0, imported.pos).split('\n').length;
      found.push(`${file.path}:${line}: '${imported.fileName}' — ${reason}`);
    }
  }
  return found;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(full));
    else if (/\.(ts|mts|cts)$/.test(entry.name)) {
      files.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
    }
  }
  return files;
}

describe('findBoundaryViolations (synthetic input: the checker can fail)', () => {
  const offending: SourceFile[] = [
    {
      path: 'src/core/bad.ts',
      text: [
        "// import { x } from '../cli/ignored-in-a-comment.js';",
        "import { Command } from 'commander';",
        "import type { IO } from '../cli/io.js';",
        "import { readFileSync } from 'node:fs';",
        "import { request } from 'undici';",
        "import { ok } from './catalog/lookup.js';",
        'export {',
        '  store,',
        "} from '../adapters/file-secret-store.js';",
        "const emu = await import('../emulator/index.js');",
        "import { select } from '@inquirer/prompts';",
        "import fs from 'fs';",
        "const s = \"import('../cli/in-a-string.js')\";",
        "const redis = require('../vendor/redis-client.cjs');",
      ].join('\n'),
    },
    { path: 'src/emulator/bad.ts', text: "import { main } from '../cli/main.js';\nimport type { X } from '../core/x.js';\nimport ora from 'ora';\n" },
    { path: 'src/adapters/bad.ts', text: "import { Command } from 'commander';\nimport Conf from 'conf';\n" },
    { path: 'src/index.ts', text: "export { main } from './cli/main.js';\nexport { ok } from './core/ok.js';\n" },
    { path: 'src/cli/fine.ts', text: "import { Command } from 'commander';\nimport { x } from '../core/x.js';\nimport { y } from '../adapters/y.js';\n" },
  ];

  it('lists each offending import with file:line, and nothing else', () => {
    expect(findBoundaryViolations(offending)).toEqual([
      "src/core/bad.ts:2: 'commander' — core imports the UI package commander",
      "src/core/bad.ts:3: '../cli/io.js' — core imports cli/ (src/cli/io.js)",
      "src/core/bad.ts:9: '../adapters/file-secret-store.js' — core imports adapters/ (src/adapters/file-secret-store.js)",
      "src/core/bad.ts:10: '../emulator/index.js' — core imports emulator/ (src/emulator/index.js)",
      "src/core/bad.ts:11: '@inquirer/prompts' — core imports the UI package @inquirer/prompts",
      "src/core/bad.ts:12: 'fs' — core imports fs: only node:*, undici, @redis/client, iconv-lite, ignore, jsonc-parser, ajv, ajv-formats, randexp and core itself are allowed",
      "src/emulator/bad.ts:1: '../cli/main.js' — emulator imports cli/ (src/cli/main.js)",
      "src/emulator/bad.ts:3: 'ora' — emulator imports the UI package ora",
      "src/adapters/bad.ts:1: 'commander' — commander may only be imported by src/cli",
      "src/index.ts:1: './cli/main.js' — the library entry imports src/cli/main.js: it may only re-export src/core",
    ]);
  });

  it('accepts a clean tree', () => {
    expect(findBoundaryViolations([{ path: 'src/core/ok.ts', text: "import { a } from './a.js';\nimport { Agent } from 'undici';\nimport { join } from 'node:path';\n" }])).toEqual([]);
    // The build's bundle of an allowed package counts as that package; any other file outside core does not.
    expect(findBoundaryViolations([{ path: 'src/core/ratelimit/ok.ts', text: "const r = require('../../vendor/redis-client.cjs');\n" }])).toEqual([]);
    expect(findBoundaryViolations([{ path: 'src/core/ratelimit/bad.ts', text: "const r = require('../../vendor/other.cjs');\n" }])).toEqual([
      "src/core/ratelimit/bad.ts:1: '../../vendor/other.cjs' — core imports vendor/ (src/vendor/other.cjs)",
    ]);
  });
});

describe('the source tree keeps its layers', () => {
  const files = sourceFiles(join(root, 'src'));

  it('scans the real tree (not vacuously)', () => {
    expect(files.filter((file) => file.path.startsWith('src/core/')).length).toBeGreaterThan(30);
    expect(files.some((file) => file.path.startsWith('src/emulator/'))).toBe(true);
  });

  it('src/core imports only node:*, undici and core; the emulator never imports the CLI; UI packages stay in src/cli', () => {
    const violations = findBoundaryViolations(files);
    expect(violations, `layer violations:\n${violations.join('\n')}`).toEqual([]);
  });
});

/** `src/a.ts` imports `./b.js` → `src/b.ts`; only files of the tree count. */
function importGraph(files: readonly SourceFile[]): Map<string, string[]> {
  const known = new Set(files.map((file) => file.path));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const targets: string[] = [];
    for (const imported of ts.preProcessFile(file.text, true, true).importedFiles) {
      const resolved = resolveRelative(file.path, imported.fileName);
      if (!resolved) continue;
      const candidate = resolved.replace(/\.js$/, '.ts');
      if (known.has(candidate)) targets.push(candidate);
      else if (known.has(`${resolved}/index.ts`)) targets.push(`${resolved}/index.ts`);
    }
    graph.set(file.path, [...new Set(targets)]);
  }
  return graph;
}

/** Every import cycle (type-only imports and dynamic import() included), each as `a → b → a`, one per strongly connected group. */
function findCycles(files: readonly SourceFile[]): string[] {
  const graph = importGraph(files);
  // Tarjan's strongly connected components: a component of two or more files, or a file that imports itself, is a cycle.
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (node: string): void => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node) ?? 0, indices.get(next) ?? 0));
    }
    if (low.get(node) !== indices.get(node)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(cyclePath(graph, component));
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node);
  return cycles.sort();
}

/** One concrete loop through a component, for the message: shortest path from its first file back to itself. */
function cyclePath(graph: Map<string, string[]>, component: string[]): string {
  const members = new Set(component);
  const start = [...component].sort()[0] ?? '';
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const node = queue.shift() ?? '';
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0] ?? '') ?? start);
        return `${[...path, start].join(' → ')} (${component.length} files)`;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return `${start} (${component.length} files)`;
}

describe('findCycles (synthetic input: the checker can fail)', () => {
  it('finds cycles through type-only and dynamic imports, and only those', () => {
    const cycles = findCycles([
      { path: 'src/a.ts', text: "import type { B } from './b.js';\n" },
      { path: 'src/b.ts', text: "export const x = () => import('./a.js');\n" },
      { path: 'src/c.ts', text: "import { a } from './a.js';\nimport { d } from './d/index.js';\n" },
      { path: 'src/d/index.ts', text: "import { e } from '../e.js';\n" },
      { path: 'src/e.ts', text: "import { d } from './d/index.js';\nimport { z } from 'node:fs';\n" },
    ]);
    expect(cycles).toEqual(['src/a.ts → src/b.ts → src/a.ts (2 files)', 'src/d/index.ts → src/e.ts → src/d/index.ts (2 files)']);
  });

  it('accepts a tree without cycles', () => {
    expect(findCycles([{ path: 'src/a.ts', text: "import { b } from './b.js';\n" }, { path: 'src/b.ts', text: '' }])).toEqual([]);
  });
});

describe('the source tree has no import cycle', () => {
  it('none anywhere in src/, type-only imports included', () => {
    const cycles = findCycles(sourceFiles(join(root, 'src')));
    expect(cycles, `import cycles:\n${cycles.join('\n')}`).toEqual([]);
  });
});
