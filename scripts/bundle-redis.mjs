// Bundles @redis/client (MIT) into dist/vendor/redis-client.cjs, which the Redis bucket store loads.
// As ~480 separate CommonJS files the client costs a Redis-backed `spapi` process ~200 ms of CPU
// before its first request (resolving, reading and compiling each file); as one minified file
// ~90 ms. On a fleet's start-up, or six processes on two cores in bench/fleet-ratelimit.mjs, that
// is the difference the first call waits for. The package stays a dependency: the build takes
// whatever version npm installed, and src/ falls back to it where no bundle was built.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { build } from 'esbuild';

// node-redis's LICENSE; the npm package does not ship the file, so its text travels in the bundle.
const MIT = `MIT License

Copyright (c) 2022-2025, Redis, inc.

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;

const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(require.resolve('@redis/client/package.json'), 'utf8'));
await build({
  entryPoints: [require.resolve('@redis/client')],
  outfile: new URL('../dist/vendor/redis-client.cjs', import.meta.url).pathname,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: true,
  // Loaded only if installed (tracing); the bundle must not carry it.
  external: ['@opentelemetry/api'],
  legalComments: 'eof',
  banner: { js: `/*! ${pkg.name} ${pkg.version}, bundled by spapi's build from the npm package.\n${MIT}*/` },
  logLevel: 'warning',
});
