const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

function isLoopback(url: URL): boolean {
  return LOOPBACK.has(url.hostname) || /^127(?:\.\d{1,3}){3}$/.test(url.hostname);
}

/**
 * Why a token from `tokenUrl` cannot be good at `apiBase`, or undefined. An emulator issues tokens
 * only its own SP-API accepts, so when either side is on loopback both must be the same origin;
 * Amazon's token host and its SP-API hosts differ by design and are never flagged.
 */
export function originMismatch(tokenUrl: string, apiBase: string): string | undefined {
  let lwa: URL;
  let api: URL;
  try {
    lwa = new URL(tokenUrl);
    api = new URL(apiBase);
  } catch {
    return undefined;
  }
  const [lwaLocal, apiLocal] = [isLoopback(lwa), isLoopback(api)];
  if (!lwaLocal && !apiLocal) return undefined;
  if (lwaLocal && apiLocal) return lwa.origin === api.origin ? undefined : `the token comes from ${lwa.origin} but the calls go to ${api.origin}: two emulators never accept each other's tokens`;
  if (lwaLocal) return `the token comes from a local emulator (${lwa.origin}) but the calls go to ${api.origin}, which never accepts it`;
  return `the token comes from ${lwa.origin} but the calls go to a local emulator (${api.origin}), which accepts only its own tokens`;
}
