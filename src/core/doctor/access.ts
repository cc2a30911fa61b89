import { REGIONS, type RegionCode } from '../regions.js';
import { regionFix } from './regions.js';
import { fail, ok, warn, type Cause, type DoctorCheck } from './types.js';

/** The operation doctor calls: cheap, granted by every seller role, and answered in every region. */
export const ACCESS_PROBE_OPERATION = 'sellers.getMarketplaceParticipations';

/** What one probe call answered. */
export interface ProbeOutcome {
  /** The HTTP status; absent when nothing answered. */
  status?: number | undefined;
  /** SP-API's first error code (Unauthorized, QuotaExceeded), or the error kind when nothing answered. */
  code?: string | undefined;
  message?: string | undefined;
  requestId?: string | undefined;
  /** On success: how many marketplaces the seller takes part in. */
  marketplaces?: number | undefined;
}

/** Sends the probe for one region and environment (the CLI builds the client; tests pass their own). */
export type ProbeCall = (region: RegionCode, sandbox: boolean) => Promise<ProbeOutcome>;

export interface AccessProbes {
  profile: string;
  region: RegionCode;
  sandbox: boolean;
  /** The base URL the profile's calls go to. */
  endpoint: string;
  primary: ProbeOutcome;
  /** The other regions' answers; absent when every region has the same endpoint (SPAPI_ENDPOINT without `{region}`). */
  otherRegions?: Array<{ region: RegionCode; outcome: ProbeOutcome }> | undefined;
  /** Production's answer after a 403 from the sandbox (--sandbox); absent otherwise, or when SPAPI_ENDPOINT replaces both. */
  otherEnvironment?: ProbeOutcome | undefined;
  /** Why the access token and the SP-API endpoint cannot belong together, when they cannot. */
  originMismatch?: string | undefined;
  /** SPAPI_REGION, not the profile, chose the region. */
  regionFromEnv?: boolean | undefined;
}

export interface ProbePlan {
  call: ProbeCall;
  region: RegionCode;
  sandbox: boolean;
  /** Whether the regions have endpoints of their own to try (Amazon's hosts, or SPAPI_ENDPOINT with `{region}`). */
  regionsDistinct: boolean;
  /** Whether production and the sandbox have endpoints of their own (only Amazon's hosts: an override replaces both). */
  environmentsDistinct: boolean;
}

const isSuccess = (o: ProbeOutcome): boolean => o.status !== undefined && o.status >= 200 && o.status < 300;
export const isBare403 = (o: ProbeOutcome): boolean => o.status === 403;

/**
 * The probe call, and only after a 403 the calls that tell its causes apart: the other regions
 * (when they have endpoints of their own) and, for a --sandbox call, production.
 */
export async function probeAccess(plan: ProbePlan): Promise<Pick<AccessProbes, 'primary' | 'otherRegions' | 'otherEnvironment'>> {
  const primary = await plan.call(plan.region, plan.sandbox);
  if (!isBare403(primary)) return { primary };
  const others = (Object.keys(REGIONS) as RegionCode[]).filter((r) => r !== plan.region);
  const otherRegions = plan.regionsDistinct ? await Promise.all(others.map(async (region) => ({ region, outcome: await plan.call(region, plan.sandbox) }))) : undefined;
  // Only from the sandbox to production: Amazon's sandbox answers canned examples, so a 200 there
  // would prove nothing about a token production refuses.
  const otherEnvironment = plan.environmentsDistinct && plan.sandbox ? await plan.call(plan.region, false) : undefined;
  return { primary, ...(otherRegions ? { otherRegions } : {}), ...(otherEnvironment ? { otherEnvironment } : {}) };
}

function answered(o: ProbeOutcome): string {
  if (o.status === undefined) return `no answer (${o.code ?? 'network'}${o.message ? `: ${o.message}` : ''})`;
  return `${o.status}${o.code ? ` ${o.code}` : ''}${o.requestId ? ` (request ${o.requestId})` : ''}`;
}

/**
 * Amazon answers a bare `403 Unauthorized` for several unrelated mistakes. The probes rule some
 * in or out; what remains is listed most likely first, each with its fix.
 */
export function checkAccess(p: AccessProbes): DoctorCheck {
  const check = `sp-api access (${p.profile})`;
  const where = `${ACCESS_PROBE_OPERATION} at ${p.endpoint}`;
  const login = `spapi auth login --profile ${p.profile}`;
  const { primary } = p;
  if (isSuccess(primary)) return ok(check, `${where} answered ${primary.status ?? 200}${primary.marketplaces === undefined ? '' : `: ${primary.marketplaces} marketplace${primary.marketplaces === 1 ? '' : 's'}`}`);
  if (primary.status === undefined) return fail(check, `${where}: ${answered(primary)}`, 'check the network and proxy, or SPAPI_ENDPOINT if you set it');
  if (primary.status === 429) return warn(check, `${where} answered 429 QuotaExceeded: the quota is used up right now`, 'try again in a minute; `spapi quota` shows the buckets');
  if (!isBare403(primary)) return fail(check, `${where} answered ${answered(primary)}${primary.message ? `: ${primary.message}` : ''}`, primary.status >= 500 ? 'Amazon is failing: try again later' : `run \`spapi auth status --profile ${p.profile}\` and authorize again if needed: \`${login}\``);

  const said = `${where} answered ${answered(primary)}`;
  const otherRegion = p.otherRegions?.find((r) => isSuccess(r.outcome));
  if (otherRegion) {
    const fix = p.regionFromEnv ? `unset SPAPI_REGION or set it to ${otherRegion.region}; ${regionFix(p.profile, otherRegion.region)}` : regionFix(p.profile, otherRegion.region);
    return fail(check, `${said}, but region ${otherRegion.region} answered ${otherRegion.outcome.status ?? 200}: the seller authorized the app in ${otherRegion.region}, not ${p.region}`, fix);
  }
  if (p.sandbox && p.otherEnvironment && isSuccess(p.otherEnvironment)) {
    return fail(check, `${said}, but production answered ${p.otherEnvironment.status ?? 200}: the sandbox refuses what production grants`, 'drop --sandbox: this authorization works in production');
  }
  if (p.originMismatch) {
    return fail(check, `${said}: ${p.originMismatch}`, 'take the token and call the API in the same place: set SPAPI_LWA_ENDPOINT and SPAPI_ENDPOINT to the same emulator (`spapi emulator` prints both), or unset both for Amazon');
  }

  const ruledOut: string[] = [];
  const causes: Cause[] = [{ cause: 'the app gained a role after this seller authorized it: the old authorization does not carry the new role', fix: `authorize again: \`${login}\`` }];
  if (p.otherRegions) ruledOut.push(`the other regions (${p.otherRegions.map((r) => `${r.region}: ${answered(r.outcome)}`).join(', ')})`);
  else causes.push({ cause: `the seller authorized in another region than ${p.region} (SPAPI_ENDPOINT has no {region}, so doctor could not try the others)`, fix: `find the region where this check passes: \`spapi doctor --profile ${p.profile} --region <na|eu|fe>\`, then store it: \`spapi auth login --profile ${p.profile} --region <that region>\`` });
  if (p.otherEnvironment) ruledOut.push(`production (${answered(p.otherEnvironment)})`);
  else causes.push({ cause: 'the token and the endpoint belong to different environments (sandbox vs production, an emulator vs Amazon)', fix: 'get the token where you call: SPAPI_LWA_ENDPOINT and SPAPI_ENDPOINT both at the emulator, or both unset (with --sandbox for Amazon\'s sandbox)' });
  causes.push({ cause: 'the app is still in Draft: Amazon authorizes a Draft app only through a consent URL with version=beta (else MD1000)', fix: `authorize it as a Draft app: \`${login} --draft\`; drop --draft once it is published` });
  const detail = `${said}${ruledOut.length ? `; ruled out: ${ruledOut.join('; ')}` : ''}`;
  return fail(check, detail, causes[0]?.fix ?? `\`${login}\``, causes);
}
