/**
 * No import cycles in src/emulator, type-only imports included: a cycle of types still couples the
 * modules, and a cycle of values can hand a module its dependency half-initialised. Imports are
 * read with TypeScript's pre-processor (as architecture.test.ts does), so `import type`,
 * `export … from` and `import()` all count. Cycles through src/core cannot exist: core never
 * imports the emulator (architecture.test.ts).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

type Graph = ReadonlyMap<string, readonly string[]>;

/** Every import cycle of `graph` (a strongly connected group of 2+ files, or a file importing itself), each sorted. */
function findCycles(graph: Graph): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  const visit = (file: string): void => {
    order.set(file, counter);
    low.set(file, counter);
    counter += 1;
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!order.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file) ?? 0, order.get(next) ?? 0));
      }
    }
    if (low.get(file) !== order.get(file)) return;
    const group: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      group.push(member);
    } while (member !== file);
    if (group.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(group.sort());
  };
  for (const file of graph.keys()) if (!order.has(file)) visit(file);
  return cycles;
}

/** Relative imports of one file, resolved to repository paths (`./x.js` → `src/emulator/x.ts`). */
function importsOf(path: string, text: string, exists: (path: string) => boolean): string[] {
  const found: string[] = [];
  for (const imported of ts.preProcessFile(text, true, true).importedFiles) {
    if (!imported.fileName.startsWith('.')) continue;
    const target = posix.normalize(posix.join(posix.dirname(path), imported.fileName)).replace(/\.js$/, '.ts');
    const candidates = [target, posix.join(target.replace(/\.ts$/, ''), 'index.ts')];
    const hit = candidates.find(exists);
    if (hit) found.push(hit);
  }
  return found;
}

const root = fileURLToPath(new URL('../..', import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return tsFiles(full);
    return /\.ts$/.test(entry.name) ? [relative(root, full).split(sep).join('/')] : [];
  });
}

describe('findCycles (synthetic graphs: the checker can fail)', () => {
  it('finds a two-file cycle, a longer one and a self-import, and nothing in a tree', () => {
    const graph = new Map([
      ['a', ['b']],
      ['b', ['a']],
      ['c', ['d']],
      ['d', ['e']],
      ['e', ['c', 'f']],
      ['f', []],
      ['g', ['g']],
    ]);
    expect(findCycles(graph).sort()).toEqual([['a', 'b'], ['c', 'd', 'e'], ['g']]);
    expect(findCycles(new Map([['x', ['y', 'z']], ['y', ['z']], ['z', []]]))).toEqual([]);
  });

  it('counts type-only imports, re-exports and dynamic imports', () => {
    const files: Record<string, string> = {
      'src/m/a.ts': "import type { B } from './b.js';\n",
      'src/m/b.ts': "export { c } from './c.js';\n",
      'src/m/c.ts': "const a = await import('./a.js');\n// import { b } from './b.js' (a comment does not count)\n",
    };
    const graph = new Map(Object.entries(files).map(([path, text]) => [path, importsOf(path, text, (p) => p in files)]));
    expect(findCycles(graph)).toEqual([['src/m/a.ts', 'src/m/b.ts', 'src/m/c.ts']]);
  });
});

describe('src/emulator', () => {
  const files = tsFiles(join(root, 'src/emulator'));
  const graph = new Map(files.map((path) => [path, importsOf(path, readFileSync(join(root, path), 'utf8'), (p) => existsSync(join(root, p)))]));

  it('is scanned for real (not vacuously)', () => {
    expect(files.length).toBeGreaterThan(30);
    expect([...graph.values()].flat().length).toBeGreaterThan(100);
  });

  it('has no import cycle, type-only imports included', () => {
    const cycles = findCycles(graph);
    expect(cycles, `import cycles:\n${cycles.map((c) => c.join(' ⇄ ')).join('\n')}`).toEqual([]);
  });
});
