/** One share of a parallel scan (scan-parallel.ts), in a worker thread. */
import { parentPort, workerData } from 'node:worker_threads';
import { scanFiles, type ScanOptions } from './scan.js';
import { toWorkerResult } from './scan-parallel.js';

const options = workerData as ScanOptions;
parentPort?.postMessage(toWorkerResult(scanFiles(options), options.operations));
