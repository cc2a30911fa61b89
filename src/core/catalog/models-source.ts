import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { NetworkError, UsageError } from '../errors.js';
import type { ModelDocument } from './generate.js';
import { isObject } from './swagger.js';

/** Models read from one place, plus where they came from. */
export interface ModelsSnapshot {
  documents: ModelDocument[];
  /** e.g. `amzn/selling-partner-api-models@<commit>`, a repository URL, or a folder path. */
  source: string;
  /** Commit date when the source records it (SOURCE.md of the shared copy). */
  committedAt?: string;
}

export interface FetchModelsOptions {
  /** Replaces global fetch (tests). */
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/** The official models repository; `spapi catalog update` reads its main branch by default. */
export const DEFAULT_MODELS_URL = 'https://github.com/amzn/selling-partner-api-models/tree/main';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const REQUEST_TIMEOUT_MS = 60_000;
const PARALLEL_DOWNLOADS = 8;
const LOCAL_HINT = 'or clone https://github.com/amzn/selling-partner-api-models and pass --from <folder>';

/** Reads models from a folder path or an https URL of the models repository. */
export async function readModels(from: string, options: FetchModelsOptions = {}): Promise<ModelsSnapshot> {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(from) ? fetchModels(from, options) : readModelsFromDir(from);
}

/**
 * Reads every `*.json` Swagger 2.0 file under `dir`, recursively (the repository root or its
 * `models/` folder both work). A SOURCE.md beside them, as in the shared copy, names the commit.
 */
export function readModelsFromDir(dir: string): ModelsSnapshot {
  const root = resolve(dir);
  let isDir = false;
  try {
    isDir = statSync(root).isDirectory();
  } catch {
    // reported below
  }
  if (!isDir) throw new UsageError(`models folder not found: ${root}`, { hint: 'pass a folder holding the Swagger model files, e.g. a clone of amzn/selling-partner-api-models' });

  const documents: ModelDocument[] = [];
  for (const file of jsonFiles(root)) {
    const document = toDocument(file, readFileSync(file, 'utf8'));
    if (document) documents.push(document);
  }
  if (documents.length === 0) throw new UsageError(`no Swagger 2.0 models under ${root}`, { hint: 'pass the models folder of amzn/selling-partner-api-models' });
  return { documents, ...provenance(root) };
}

function jsonFiles(dir: string): string[] {
  const files: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...jsonFiles(path));
    else if (entry.isFile() && entry.name.endsWith('.json')) files.push(path);
  }
  return files;
}

/** Parses one file; undefined when it is JSON but not a Swagger 2.0 model. */
function toDocument(path: string, text: string): ModelDocument | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path} is not valid JSON: ${(error as Error).message}`, { hint: 'fetch the models again; the file looks truncated or edited' });
  }
  if (!isObject(json) || json['swagger'] !== '2.0') return undefined;
  return { name: basename(path, '.json'), folder: basename(dirname(path)), json };
}

// SOURCE.md of the shared copy: "Commit copied from: `<sha>` (..., committed <ISO date>)".
function provenance(root: string): { source: string; committedAt?: string } {
  let text: string;
  try {
    text = readFileSync(join(root, 'SOURCE.md'), 'utf8');
  } catch {
    return { source: root };
  }
  const commit = /`([0-9a-f]{40})`/.exec(text)?.[1];
  const repository = /github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?[)\s`]/.exec(text)?.[1];
  const committedAt = /committed (\d{4}-\d\d-\d\dT[0-9:]+(?:Z|[+-]\d\d:\d\d))/.exec(text)?.[1];
  if (commit === undefined || repository === undefined) return { source: root };
  return { source: `${repository}@${commit}`, ...(committedAt === undefined ? {} : { committedAt }) };
}

interface RepositoryLocation {
  owner: string;
  repo: string;
  ref: string;
  /** Base of the git-trees API and of raw file downloads. */
  apiBase: string;
  rawBase: string;
  canonical: string;
}

/**
 * Parses `https://github.com/<owner>/<repo>[/tree/<ref>]`. Other https hosts, and http on loopback
 * (tests), are taken to serve both the `/repos/...` API and raw files on their own origin.
 */
export function parseRepositoryUrl(text: string): RepositoryLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`not a URL: ${text}`, { hint: `use e.g. ${DEFAULT_MODELS_URL}` });
  }
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopback) {
    throw new UsageError(`refusing ${url.protocol}// models URL: only https (or http on a loopback host) is accepted`, { hint: `use e.g. ${DEFAULT_MODELS_URL}` });
  }
  const match = /^\/([\w.-]+)\/([\w.-]+?)(?:\.git)?(?:\/tree\/(.+?))?\/?$/.exec(url.pathname);
  const owner = match?.[1];
  const repo = match?.[2];
  if (owner === undefined || repo === undefined) {
    throw new UsageError(`not a repository URL: ${text}`, { hint: `use https://github.com/<owner>/<repo>[/tree/<branch>], e.g. ${DEFAULT_MODELS_URL}` });
  }
  const ref = decodeURIComponent(match?.[3] ?? 'main');
  const github = url.hostname === 'github.com';
  return {
    owner,
    repo,
    ref,
    apiBase: github ? 'https://api.github.com' : url.origin,
    rawBase: github ? 'https://raw.githubusercontent.com' : url.origin,
    canonical: `${url.origin}/${owner}/${repo}/tree/${ref}`,
  };
}

/** Lists the repository's `models/**.json` with the git-trees API and downloads each raw file. */
export async function fetchModels(urlText: string, options: FetchModelsOptions = {}): Promise<ModelsSnapshot> {
  const location = parseRepositoryUrl(urlText);
  const doFetch = options.fetch ?? globalThis.fetch;
  const get = (url: string, accept: string): Promise<string> => download(doFetch, url, accept, options.signal);

  const treeUrl = `${location.apiBase}/repos/${location.owner}/${location.repo}/git/trees/${encodeURIComponent(location.ref)}?recursive=1`;
  const paths = modelPaths(await get(treeUrl, 'application/vnd.github+json'), treeUrl);

  const refPath = location.ref.split('/').map(encodeURIComponent).join('/');
  const documents: ModelDocument[] = [];
  for (let start = 0; start < paths.length; start += PARALLEL_DOWNLOADS) {
    const batch = paths.slice(start, start + PARALLEL_DOWNLOADS);
    const texts = await Promise.all(
      batch.map((path) => get(`${location.rawBase}/${location.owner}/${location.repo}/${refPath}/${path.split('/').map(encodeURIComponent).join('/')}`, 'application/json')),
    );
    texts.forEach((text, index) => {
      const document = toDocument(batch[index] ?? '', text);
      if (document) documents.push(document);
    });
  }
  if (documents.length === 0) throw new UsageError(`no Swagger 2.0 models in ${location.canonical}`, { hint: `check the branch; ${LOCAL_HINT}` });
  return { documents, source: location.canonical };
}

function modelPaths(text: string, treeUrl: string): string[] {
  let listing: unknown;
  try {
    listing = JSON.parse(text);
  } catch {
    throw new NetworkError(`unexpected answer from ${treeUrl}: not JSON`, { hint: LOCAL_HINT });
  }
  if (!isObject(listing) || !Array.isArray(listing['tree'])) throw new NetworkError(`unexpected answer from ${treeUrl}: no tree`, { hint: LOCAL_HINT });
  // A truncated listing would silently drop models; the real one is far below GitHub's limit.
  if (listing['truncated'] === true) throw new NetworkError(`the file listing from ${treeUrl} is truncated`, { hint: LOCAL_HINT });
  return listing['tree']
    .filter(isObject)
    .filter((entry) => entry['type'] === 'blob' && typeof entry['path'] === 'string')
    .map((entry) => entry['path'] as string)
    .filter((path) => path.startsWith('models/') && path.endsWith('.json'))
    .sort();
}

async function download(doFetch: typeof fetch, url: string, accept: string, signal: AbortSignal | undefined): Promise<string> {
  const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
  let response: Response;
  try {
    response = await doFetch(url, {
      headers: { accept, 'user-agent': 'spapi-catalog-update' },
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (error) {
    throw new NetworkError(`cannot fetch ${url}: ${(error as Error).message}`, { hint: `check the network connection, ${LOCAL_HINT}`, cause: error });
  }
  if (response.status === 404) {
    throw new UsageError(`not found (404): ${url}`, { hint: `check the repository URL and branch, e.g. ${DEFAULT_MODELS_URL}` });
  }
  if (response.status === 403 || response.status === 429) {
    throw new NetworkError(`${response.status} from ${url}`, { hint: `GitHub limits unauthenticated API calls per hour; wait, ${LOCAL_HINT}` });
  }
  if (!response.ok) throw new NetworkError(`${response.status} from ${url}`, { hint: `try again later, ${LOCAL_HINT}` });
  try {
    return await response.text();
  } catch (error) {
    throw new NetworkError(`the download of ${url} broke off: ${(error as Error).message}`, { hint: 'try again', cause: error });
  }
}
