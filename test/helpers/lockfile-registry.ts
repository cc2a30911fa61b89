/**
 * A package registry on loopback made of package-lock.json and the npm cache `npm ci` filled, so a
 * test can run a real `npm install -g <tarball>` without the network. `npm install --offline` cannot
 * do it: ci fetched tarballs by their locked URLs and never the packuments (version lists) that
 * resolving the tarball's ranges needs. Here each locked version becomes a packument entry whose
 * tarball is served from the cache's content store by its integrity; a package or version that is
 * not locked, or not in the cache, is a 404, never a request elsewhere.
 */
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** What the lockfile says of one installed package; the rest of its manifest is not needed to resolve. */
interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  [field: string]: unknown;
}

/** The manifest fields npm reads from a packument to build and check a tree. */
const MANIFEST_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu', 'libc', 'license', 'deprecated'];

export interface LockfileRegistry {
  url: string;
  /** Every request answered 404, as `GET /path` (a missing package shows up here). */
  misses: string[];
  close(): Promise<void>;
}

/** Where npm's cacache keeps the bytes of `sha512-<base64>`: _cacache/content-v2/sha512/ab/cd/<rest of the hex digest>. */
function contentPath(cache: string, integrity: string): string | undefined {
  for (const hash of integrity.split(/\s+/)) {
    const dash = hash.indexOf('-');
    const hex = Buffer.from(hash.slice(dash + 1), 'base64').toString('hex');
    const path = join(cache, '_cacache', 'content-v2', hash.slice(0, dash), hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** `npmCache` is npm's `cache` setting (`npm config get cache`), e.g. ~/.npm. */
export async function startLockfileRegistry(lockfile: string, npmCache: string): Promise<LockfileRegistry> {
  const lock = JSON.parse(readFileSync(lockfile, 'utf8')) as { packages: Record<string, LockEntry> };
  const versions = new Map<string, Map<string, Record<string, unknown>>>();
  const tarballs: Array<{ integrity: string }> = [];
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (location === '' || entry.link || !entry.version || !entry.integrity) continue;
    const name = entry.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const manifest: Record<string, unknown> = { name, version: entry.version, dist: { integrity: entry.integrity, tarball: `/-/tarball/${tarballs.length}.tgz` } };
    tarballs.push({ integrity: entry.integrity });
    for (const field of MANIFEST_FIELDS) if (entry[field] !== undefined) manifest[field] = entry[field];
    if (!versions.has(name)) versions.set(name, new Map());
    versions.get(name)?.set(entry.version, manifest);
  }

  const misses: string[] = [];
  let base = '';
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://registry').pathname);
    const notFound = (): void => {
      misses.push(`${request.method} ${path}`);
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
    };
    const tarball = /^\/-\/tarball\/(\d+)\.tgz$/.exec(path);
    if (tarball) {
      const content = contentPath(npmCache, tarballs[Number(tarball[1])]?.integrity ?? '');
      if (!content) return notFound();
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(content).pipe(response);
      return;
    }
    const known = versions.get(path.slice(1));
    if (!known) return notFound();
    // Tarball URLs are absolute: npm fetches them as given.
    const entries = [...known].map(([version, manifest]) => {
      const dist = manifest['dist'] as { integrity: string; tarball: string };
      return [version, { ...manifest, dist: { ...dist, tarball: `${base}${dist.tarball}` } }] as const;
    });
    const latest = [...known.keys()].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })).at(-1);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ name: path.slice(1), 'dist-tags': { latest }, versions: Object.fromEntries(entries) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    misses,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
