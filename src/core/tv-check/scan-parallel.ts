/**
 * The scan spread over worker threads: git grep uses every core, and a scan of a large tree is
 * bound by the regexes. Files are dealt out in turn (big and small ones mix), each worker scans
 * its share with the same scanFiles, and the results are put back in file order, so the report
 * is the same as a single-threaded scan's. Small trees, and runs from the TypeScript sources
 * (tests), stay on one thread.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OperationSpec } from '../catalog/types.js';
import { SpapiError } from '../errors.js';
import { scanFiles, type ScanOptions, type ScanResult } from './scan.js';
import type { OperationCall } from './types.js';

/** Below this many files a worker's start-up (~60 ms) costs more than it saves. */
const MIN_FILES_PER_WORKER = 1500;
const WORKER_URL = new URL('./scan-worker.js', import.meta.url);

/** What a worker sends back: operation calls name their operation by catalog index, not by copy. */
export type WorkerResult = Omit<ScanResult, 'operationCalls'> & { operationCalls: Array<Omit<OperationCall, 'operation'> & { operation: number }> };

export function toWorkerResult(result: ScanResult, operations: readonly OperationSpec[]): WorkerResult {
  const indexOf = new Map(operations.map((spec, index) => [spec, index]));
  return { ...result, operationCalls: result.operationCalls.map((call) => ({ ...call, operation: indexOf.get(call.operation) ?? -1 })) };
}

function fromWorkerResult(result: WorkerResult, operations: readonly OperationSpec[]): ScanResult {
  return {
    ...result,
    operationCalls: result.operationCalls.flatMap((call) => {
      const operation = operations[call.operation];
      return operation ? [{ ...call, operation }] : [];
    }),
  };
}

function runWorker(options: ScanOptions): Promise<ScanResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_URL, { workerData: options });
    worker.once('message', (result: WorkerResult) => resolve(fromWorkerResult(result, options.operations)));
    worker.once('error', (error) => reject(new SpapiError('internal', `the scan worker failed: ${error.message}`, { cause: error })));
    worker.once('exit', (code) => {
      if (code !== 0) reject(new SpapiError('internal', `the scan worker exited with ${code}`));
    });
  });
}

/** Puts per-thread results back together in the order of `files`. */
function merge(files: readonly string[], parts: ScanResult[]): ScanResult {
  const order = new Map(files.map((file, index) => [file, index]));
  const byFile = <T extends { path: string }>(items: T[]): T[] => items.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
  const markers = new Map<string, Set<string>>();
  for (const part of parts) for (const [path, set] of part.markers) markers.set(path, set);
  return {
    scannedFiles: parts.reduce((sum, part) => sum + part.scannedFiles, 0),
    scannedBytes: parts.reduce((sum, part) => sum + part.scannedBytes, 0),
    skipped: byFile(parts.flatMap((part) => part.skipped)),
    matches: byFile(parts.flatMap((part) => part.matches)),
    operationCalls: byFile(parts.flatMap((part) => part.operationCalls)),
    inlineIgnores: byFile(parts.flatMap((part) => part.inlineIgnores)),
    markers: new Map([...markers].sort((a, b) => (order.get(a[0]) ?? 0) - (order.get(b[0]) ?? 0))),
  };
}

export async function scanFilesParallel(options: ScanOptions, threads = availableParallelism()): Promise<ScanResult> {
  const workers = Math.min(threads, Math.floor(options.files.length / MIN_FILES_PER_WORKER));
  // `sort` is stable, so a single-threaded scan already is in file order.
  if (workers < 2 || !existsSync(fileURLToPath(WORKER_URL))) return scanFiles(options);
  const shares: string[][] = Array.from({ length: workers }, () => []);
  options.files.forEach((file, index) => shares[index % workers]?.push(file));
  const [own = [], ...others] = shares;
  const pending = others.map((files) => runWorker({ ...options, files }));
  // Rejections are collected by Promise.all below; until then they must not go unhandled.
  for (const promise of pending) promise.catch(() => undefined);
  const mine = scanFiles({ ...options, files: own });
  return merge(options.files, [mine, ...(await Promise.all(pending))]);
}
