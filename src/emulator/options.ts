import type { OperationSpec } from '../core/catalog/types.js';
import type { Faults } from './faults.js';
import { appProblems, DEFAULT_APP_NAME, DEFAULT_APPLICATION_ID, DEFAULT_REDIRECT_URIS } from './apps.js';
import type { AppRegistration } from './apps.js';
import { resolveDataKioskOptions } from './data-kiosk-options.js';
import type { DataKioskOptions, ResolvedDataKioskOptions } from './data-kiosk-options.js';
import { resolveFeedsOptions } from './feed-options.js';
import type { FeedsOptions, ResolvedFeedsOptions } from './feed-options.js';
import { resolveReportsOptions } from './report-options.js';
import type { ReportsOptions, ResolvedReportsOptions } from './report-options.js';
import { DOCUMENT_URL_LIFETIME_SECONDS, MAX_DOCUMENT_URL_LIFETIME_SECONDS } from './report-document-url.js';

/** A usage plan that replaces the catalog's for one operation. */
export interface RateOverride {
  rate: number;
  burst: number;
}

export interface EmulatorOptions {
  /** Interface to listen on; loopback only (127.0.0.1, ::1, localhost). Default 127.0.0.1. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Operations to route; default: the generated catalog (src/core/catalog/operations.gen.json). */
  catalog?: OperationSpec[];
  /** LWA applications; default: [DEFAULT_APP]. */
  apps?: AppRegistration[];
  /** Multiplies every catalog rate (not the burst); 100 makes tests fast, 0.01 makes throttling easy. Default 1. */
  rateScale?: number;
  /** `<model>.<operationId>` -> usage plan, used as given (not scaled). */
  rateOverrides?: Record<string, RateOverride>;
  /** Number of generated orders. Default 120. */
  orders?: number;
  /** Seed of every generated value (orders, reports, buyers). Default 1. */
  seed?: number;
  /** Pages of a paginated operation answered from its model (no handler of its own). Default 3. */
  pages?: number;
  /** Failures to inject into SP-API calls; change them later with setFaults(). */
  faults?: Faults;
  /** Lifetime of issued LWA access tokens and RDTs. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** The consent page redirects at once instead of showing its Authorize button. Default false. */
  autoApprove?: boolean;
  /** Lifetime of spapi_oauth_code values from the consent page. Default 300 (Amazon's five minutes). */
  codeLifetimeSeconds?: number;
  /** Folder of SP-API models for the static-sandbox mode (`--models`). */
  models?: string;
  /** Report lifecycle (polls or time to the final status) and generated document sizes; see report-options.ts. */
  reports?: ReportsOptions;
  /**
   * Data Kiosk lifecycle (polls or time to the final status; default: as `reports`) and records
   * per result document (pagination); see data-kiosk-options.ts.
   */
  dataKiosk?: DataKioskOptions;
  /** Feed lifecycle (polls or time to DONE or FATAL; default: as `reports`); see feed-options.ts. */
  feeds?: FeedsOptions;
  /** Lifetime of document URLs, downloads and feed uploads alike (X-Amz-Expires). Default 300, Amazon's five minutes. */
  documentUrlLifetimeSeconds?: number;
  /**
   * A file to append one JSON line to per answered request (SP-API, LWA, consent, documents):
   * time, method, path, operation, status, requestId, throttled, region, ms (request-log.ts).
   * Opened when the emulator starts, closed by close(). No headers, bodies or query strings, so no
   * tokens or secrets. Default: no log.
   */
  log?: string;
}

export const DEFAULT_CLIENT_ID = 'amzn1.application-oa2-client.emulator';
export const DEFAULT_CLIENT_SECRET = 'emulator-client-secret';
export const DEFAULT_REFRESH_TOKEN = 'Atzr|emulator-refresh-token';
export const DEFAULT_SELLING_PARTNER_ID = 'AEMULATORSELLER';

/** The one application the emulator knows unless `apps` is given. Obviously fake values. */
export const DEFAULT_APP: AppRegistration = {
  clientId: DEFAULT_CLIENT_ID,
  clientSecret: DEFAULT_CLIENT_SECRET,
  refreshTokens: [{ token: DEFAULT_REFRESH_TOKEN, sellingPartnerId: DEFAULT_SELLING_PARTNER_ID }],
  applicationId: DEFAULT_APPLICATION_ID,
  name: DEFAULT_APP_NAME,
  draft: false,
  redirectUris: [...DEFAULT_REDIRECT_URIS],
};

/** Options with every default filled in (the catalog is resolved separately: it may need a file read). */
export interface ResolvedOptions {
  host: string;
  port: number;
  apps: AppRegistration[];
  rateScale: number;
  rateOverrides: Record<string, RateOverride>;
  orders: number;
  seed: number;
  pages: number;
  faults: Faults;
  tokenLifetimeSeconds: number;
  autoApprove: boolean;
  codeLifetimeSeconds: number;
  reports: ResolvedReportsOptions;
  dataKiosk: ResolvedDataKioskOptions;
  feeds: ResolvedFeedsOptions;
  documentUrlLifetimeSeconds: number;
  log: string | undefined;
}

/** Fills in defaults and rejects options that would make the emulator lie or leak (non-loopback host). */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const host = options.host ?? '127.0.0.1';
  // The emulator hands out tokens and serves fake PII without any real auth: never on a network.
  if (!isLoopbackHost(host)) throw new Error(`The emulator listens on loopback only; "${host}" is not a loopback host.`);
  const reports = resolveReportsOptions(options.reports);
  const resolved: ResolvedOptions = {
    host,
    port: options.port ?? 0,
    apps: options.apps ?? [DEFAULT_APP],
    rateScale: options.rateScale ?? 1,
    rateOverrides: options.rateOverrides ?? {},
    orders: options.orders ?? 120,
    seed: options.seed ?? 1,
    pages: options.pages ?? 3,
    faults: options.faults ?? {},
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3600,
    autoApprove: options.autoApprove ?? false,
    codeLifetimeSeconds: options.codeLifetimeSeconds ?? 300,
    reports,
    dataKiosk: resolveDataKioskOptions(options.dataKiosk, reports),
    feeds: resolveFeedsOptions(options.feeds, reports),
    documentUrlLifetimeSeconds: options.documentUrlLifetimeSeconds ?? DOCUMENT_URL_LIFETIME_SECONDS,
    log: options.log,
  };
  checkNumber('port', resolved.port, 0, 65535, true);
  checkNumber('rateScale', resolved.rateScale, Number.MIN_VALUE, Number.MAX_VALUE, false);
  checkNumber('orders', resolved.orders, 0, 100_000, true);
  checkNumber('pages', resolved.pages, 1, 10_000, true);
  checkNumber('tokenLifetimeSeconds', resolved.tokenLifetimeSeconds, 1, 31_536_000, true);
  checkNumber('codeLifetimeSeconds', resolved.codeLifetimeSeconds, 0.001, 86_400, false);
  checkNumber('documentUrlLifetimeSeconds', resolved.documentUrlLifetimeSeconds, 1, MAX_DOCUMENT_URL_LIFETIME_SECONDS, true);
  if (resolved.log !== undefined && (typeof resolved.log !== 'string' || resolved.log === '')) throw new Error('Emulator option log must be a file path.');
  const appIssues = appProblems(resolved.apps);
  if (appIssues.length > 0) throw new Error(`Emulator option apps: ${appIssues.join('; ')}.`);
  for (const [name, plan] of Object.entries(resolved.rateOverrides)) {
    if (!(plan.rate >= 0) || !(plan.burst >= 0)) throw new Error(`rateOverrides["${name}"] needs a rate and burst of 0 or more.`);
  }
  return resolved;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

function checkNumber(name: string, value: number, min: number, max: number, integer: boolean): void {
  if (!Number.isFinite(value) || value < min || value > max || (integer && !Number.isInteger(value))) {
    throw new Error(`Emulator option ${name} must be ${integer ? 'an integer' : 'a number'} from ${min} to ${max}; got ${value}.`);
  }
}
