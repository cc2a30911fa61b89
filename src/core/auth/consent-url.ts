import { UsageError } from '../errors.js';
import { isAllowedOverride, type Marketplace } from '../regions.js';

export interface ConsentUrlInput {
  marketplace: Marketplace;
  applicationId: string;
  state: string;
  /** Must equal one of the app's registered redirect URIs; Amazon uses the first one when absent. */
  redirectUri?: string | undefined;
  /** Vendor Central instead of Seller Central. */
  vendor?: boolean | undefined;
  /** The app is still in Draft: Amazon requires version=beta (without it: MD1000). */
  draft?: boolean | undefined;
  /** SPAPI_CONSENT_URL: replaces the Seller/Vendor Central base (the emulator, tests). */
  baseOverride?: string | undefined;
}

/**
 * Catches the usual cause of MD1000 before a browser opens: the LWA client id
 * (amzn1.application-oa2-client.…) given where the app id (amzn1.sp.solution.… or
 * amzn1.sellerapps.app.…) belongs.
 */
export function checkApplicationId(applicationId: string): void {
  if (applicationId.startsWith('amzn1.application-oa2-client.')) {
    throw new UsageError(`${applicationId} is an LWA client id, not an application id (Amazon would answer MD1000)`, {
      hint: 'pass the App ID from Solution Provider Portal, which starts with amzn1.sp.solution. (or amzn1.sellerapps.app.)',
    });
  }
  if (!/^amzn1\.(sp\.solution|sellerapps\.app)\.[\w.-]+$/.test(applicationId)) {
    throw new UsageError(`${applicationId} does not look like an SP-API application id`, {
      hint: 'the App ID starts with amzn1.sp.solution. (or amzn1.sellerapps.app. for older apps)',
    });
  }
}

/** The website-authorization consent URL (spapi-facts §4.1). */
export function consentUrl(input: ConsentUrlInput): URL {
  checkApplicationId(input.applicationId);
  let base: string;
  if (input.baseOverride) {
    if (!isAllowedOverride(input.baseOverride)) {
      throw new UsageError(`SPAPI_CONSENT_URL ${input.baseOverride} is not allowed: use an https URL or a loopback http URL`);
    }
    base = input.baseOverride.replace(/\/apps\/authorize\/consent\/?$/, '').replace(/\/+$/, '');
  } else if (input.vendor) {
    const vendor = input.marketplace.vendorCentralUrl;
    if (!vendor) throw new UsageError(`no Vendor Central is known for marketplace ${input.marketplace.code}`);
    base = vendor;
  } else {
    base = input.marketplace.sellerCentralUrl;
  }
  const url = new URL(`${base}/apps/authorize/consent`);
  url.searchParams.set('application_id', input.applicationId);
  url.searchParams.set('state', input.state);
  if (input.redirectUri) url.searchParams.set('redirect_uri', input.redirectUri);
  if (input.draft) url.searchParams.set('version', 'beta');
  return url;
}
