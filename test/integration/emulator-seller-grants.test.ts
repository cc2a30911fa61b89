/**
 * The emulator's narrowed authorizations (RegisteredRefreshToken.roles and .region): a seller who
 * granted fewer roles, or authorized in one region, gets SP-API's bare 403 elsewhere, as on Amazon.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { callEmulator, DEFAULT_APP, useEmulator, type Emulator } from '../helpers/emulator.js';

const ROLES_TOKEN = `Atzr|${randomBytes(24).toString('base64url')}`;
const EU_TOKEN = `Atzr|${randomBytes(24).toString('base64url')}`;

const emulator = useEmulator({
  rateScale: 1000,
  apps: [{ ...DEFAULT_APP, refreshTokens: [...DEFAULT_APP.refreshTokens, { token: ROLES_TOKEN, sellingPartnerId: 'AROLES', roles: ['Brand Analytics'] }, { token: EU_TOKEN, sellingPartnerId: 'AEU', region: 'eu' }] }],
});

async function tokenFor(e: Emulator, refreshToken: string): Promise<string> {
  const response = await fetch(e.urls.lwa, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: DEFAULT_APP.clientId, client_secret: DEFAULT_APP.clientSecret }),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

const BARE_403 = { errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: '' }] };

describe('narrowed seller authorizations', () => {
  it('roles: an operation none of the granted roles covers is a bare 403; one they cover answers', async () => {
    const token = await tokenFor(emulator(), ROLES_TOKEN);
    const sellers = await callEmulator(emulator(), token, 'GET', '/sellers/v1/marketplaceParticipations');
    expect(sellers).toEqual({ status: 403, body: BARE_403 });
    const queries = await callEmulator(emulator(), token, 'GET', '/dataKiosk/2023-11-15/queries');
    expect(queries.status).toBe(200);
  });

  it('region: the other regional hosts refuse with a bare 403; its own host and the root answer', async () => {
    const token = await tokenFor(emulator(), EU_TOKEN);
    const at = (prefix: string) => callEmulator(emulator(), token, 'GET', `${prefix}/sellers/v1/marketplaceParticipations`);
    expect((await at('/eu')).status).toBe(200);
    expect(await at('/na')).toEqual({ status: 403, body: BARE_403 });
    expect((await at('/fe')).status).toBe(403);
    expect((await at('')).status).toBe(200);
  });

  it('a region that is none of na, eu, fe is refused when the emulator starts', async () => {
    await expect(startEmulator({ apps: [{ ...DEFAULT_APP, refreshTokens: [{ token: EU_TOKEN, sellingPartnerId: 'AEU', region: 'xx' as 'eu' }] }] })).rejects.toThrow(/region xx is not na, eu or fe/);
  });
});
