import { startEmulator, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN } from './src/emulator/index.js';
const e = await startEmulator({ rateScale: 1e6 });
const t = ((await (await fetch(e.urls.lwa, { method: 'POST', body: new URLSearchParams({ client_id: DEFAULT_CLIENT_ID, client_secret: DEFAULT_CLIENT_SECRET, grant_type: 'refresh_token', refresh_token: DEFAULT_REFRESH_TOKEN }) })).json()) as any).access_token;
const get = async (p: string) => { const r = await fetch(e.urls.spApi + p, { headers: { 'x-amz-access-token': t } }); return [r.status, await r.json()] as any; };
const [, orders] = await get('/orders/v0/orders?MarketplaceIds=ATVPDKIKX0DER&CreatedAfter=2020-01-01T00:00:00Z');
for (const o of orders.payload.Orders.slice(0, 30)) {
  const [s, b] = await get(`/orders/v0/orders/${o.AmazonOrderId}/orderItems`);
  if (b.payload?.NextToken) { console.log(s, JSON.stringify(await get(`/orders/v0/orders/${o.AmazonOrderId}/orderItems?NextToken=${encodeURIComponent(b.payload.NextToken)}`)).slice(0, 400)); break; }
}
console.log(JSON.stringify(await get('/orders/2026-01-01/orders?marketplaceIds=ATVPDKIKX0DER&createdAfter=2020-01-01T00:00:00Z')).slice(0, 300));
await e.close();
