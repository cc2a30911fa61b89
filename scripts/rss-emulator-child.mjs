// A child process for memory measurements (the document streaming and feed upload tests, the bench):
// starts an emulator from the module URL in argv, prints its URLs, and answers `rss` on stdin with the
// peak RSS since the last `reset`, `feed <feedDocumentId>` with emulator.feedDocument(); `close` stops it.
import { createInterface } from 'node:readline';

const { startEmulator } = await import(process.argv[2]);
const emulator = await startEmulator({ rateScale: 100000 });
let peak = process.memoryUsage().rss;
setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 20).unref();
process.stdout.write(`${JSON.stringify({ urls: emulator.urls })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'reset') peak = process.memoryUsage().rss;
  if (line === 'rss') process.stdout.write(`${JSON.stringify({ peak, now: process.memoryUsage().rss, stats: emulator.stats() })}\n`);
  if (line.startsWith('feed ')) process.stdout.write(`${JSON.stringify(emulator.feedDocument(line.slice(5)) ?? null)}\n`);
  if (line === 'close') break;
}
await emulator.close();
process.exit(0);
