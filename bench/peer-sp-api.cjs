'use strict';
// Peer figure for bench/paginate.mjs: the `amazon-sp-api` npm package (1.2.x, CommonJS) fetching
// every page of one operation from the local emulator. Run as a child process so its wall time
// includes its own startup, as spapi's does.
//
//   node bench/peer-sp-api.cjs <emulator port> <request json>
//
// Prints one JSON line on stdout: { pages, items, firstItem, lastItem } or { error }.
//
// HOW IT IS POINTED AT THE EMULATOR. The package has no option for a custom SP-API host or LWA
// URL: Request.js hard-codes `https://sellingpartnerapi-<region>.amazon.com` and
// `https://api.amazon.com/auth/o2/token`, port 443, via https.request. It does have one documented
// hook, `options.https_proxy_agent` ("a custom proxy agent", README "Use a proxy agent"), which it
// hands to https.request as `agent` for every SP-API and LWA call. We pass an http.Agent whose
// createConnection dials the emulator on 127.0.0.1 over plain TCP instead of TLS to the named host.
// Nothing in the package is patched; its URLs, headers (Host included), query encoding, token
// handling, pagination inputs and 429 retry logic run unchanged. The agent refuses any host other
// than the two Amazon hosts it is meant to stand in for, so nothing can leave loopback.
const http = require('node:http');
const net = require('node:net');
const SellingPartner = require('amazon-sp-api');

const STAND_IN_FOR = new Set(['sellingpartnerapi-na.amazon.com', 'api.amazon.com']);

class LoopbackAgent extends http.Agent {
  constructor(port) {
    // Keep-alive like Node's default https.globalAgent (keepAlive is on by default since Node 19).
    super({ keepAlive: true });
    this.port = port;
    // https.request insists that its agent speaks 'https:'; the bytes are plain HTTP on loopback.
    this.protocol = 'https:';
  }

  createConnection(options, callback) {
    const host = options.host ?? options.hostname;
    if (!STAND_IN_FOR.has(host)) {
      const error = new Error(`bench peer: refusing to connect to ${host}; only the emulator on 127.0.0.1 is allowed`);
      process.nextTick(() => callback(error));
      return undefined;
    }
    const socket = net.connect({ host: '127.0.0.1', port: this.port });
    if (callback) socket.once('connect', () => callback(null, socket));
    return socket;
  }
}

async function main() {
  const port = Number(process.argv[2]);
  const spec = JSON.parse(process.argv[3]);
  const agent = new LoopbackAgent(port);
  const sp = new SellingPartner({
    region: 'na',
    refresh_token: spec.refreshToken,
    credentials: {
      SELLING_PARTNER_APP_CLIENT_ID: spec.clientId,
      SELLING_PARTNER_APP_CLIENT_SECRET: spec.clientSecret,
    },
    options: {
      https_proxy_agent: agent,
      auto_request_tokens: true,
      auto_request_throttled: true, // its own 429 handling: wait 1/x-amzn-RateLimit-Limit s, retry
      debug_log: false,
    },
  });
  // The package has no auto-pagination: callers loop on the token themselves, as its README shows.
  let pageToken;
  let pages = 0;
  const items = [];
  do {
    const res = await sp.callAPI({
      operation: spec.operation,
      endpoint: spec.endpoint,
      path: spec.path,
      query: { ...spec.query, ...(pageToken ? { [spec.tokenParam]: pageToken } : {}) },
      options: { version: spec.version },
    });
    pages += 1;
    if (Array.isArray(res.items)) items.push(...res.items.map((i) => i.id));
    pageToken = res.pagination?.nextToken;
  } while (pageToken);
  agent.destroy();
  process.stdout.write(`${JSON.stringify({ pages, items: items.length, firstItem: items[0], lastItem: items.at(-1) })}\n`);
}

main().catch((error) => {
  process.stdout.write(`${JSON.stringify({ error: `${error?.code ?? error?.name ?? 'Error'}: ${error?.message ?? String(error)}` })}\n`);
  process.exitCode = 1;
});
