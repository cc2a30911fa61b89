import { UsageError } from '../errors.js';
import { findMarketplace, isRegionCode, regionInputs, resolveRegionAndMarketplace, type RegionCode } from '../regions.js';
import { fail, ok, warn, type DoctorCheck } from './types.js';

/** The region inputs of one run: the global flags and SPAPI_REGION. */
export interface RegionEnvironment {
  flags: { region?: string | undefined; marketplace?: string | undefined };
  env: Record<string, string | undefined>;
}

/** A profile's stored region, marketplace, and the marketplaces recorded when it was authorized. */
export interface ProfileRegion {
  name: string;
  region?: string | undefined;
  marketplace?: string | undefined;
  marketplaces?: readonly string[] | undefined;
}

function problemsOf(error: unknown): string {
  if (error instanceof UsageError) return error.problems.length > 1 ? error.problems.join('; ') : error.message;
  throw error;
}

/** How to put a profile's calls in region `region`: now, and for good. */
export function regionFix(profile: string, region: string): string {
  return `pass --region ${region} (or SPAPI_REGION=${region}); to store it, save the profile again with it: \`spapi auth login --profile ${profile} --region ${region}\``;
}

/** SPAPI_REGION and the --region/--marketplace flags, before any profile is looked at. */
export function checkRegionInputs({ flags, env }: RegionEnvironment): DoctorCheck {
  const check = 'region settings';
  const envRegion = env['SPAPI_REGION'];
  if (envRegion && !isRegionCode(envRegion.trim().toLowerCase())) return fail(check, `SPAPI_REGION=${envRegion} is not na, eu or fe`, 'set SPAPI_REGION to na, eu or fe, or unset it');
  if (flags.region !== undefined || flags.marketplace !== undefined) {
    try {
      resolveRegionAndMarketplace(flags);
    } catch (error) {
      return fail(check, problemsOf(error), 'pass one of --region or --marketplace, or two that agree');
    }
  }
  const market = flags.marketplace === undefined ? undefined : findMarketplace(flags.marketplace);
  if (envRegion && market && flags.region === undefined && market.region !== envRegion.trim().toLowerCase()) {
    return warn(check, `SPAPI_REGION=${envRegion} is ignored: --marketplace ${market.code} is in region ${market.region}, and the marketplace decides`, `unset SPAPI_REGION, or set it to ${market.region}, so scripts that omit --marketplace do not go to another region`);
  }
  const said = [envRegion ? `SPAPI_REGION=${envRegion}` : 'SPAPI_REGION unset', flags.region ? `--region ${flags.region}` : '', flags.marketplace ? `--marketplace ${flags.marketplace}` : ''].filter(Boolean).join(', ');
  return ok(check, said);
}

/**
 * The region a profile's calls go to (flags, then SPAPI_REGION, then the profile: the one rule of
 * core/regions), and whether it agrees with the profile's own marketplace and with the
 * marketplaces its seller took part in when it authorized (an authorization is regional).
 */
export function checkProfileRegion(profile: ProfileRegion, environment: RegionEnvironment): { check: DoctorCheck; region?: RegionCode } {
  const check = `region (${profile.name})`;
  const inputs = regionInputs({ flags: environment.flags, env: environment.env, profile });
  let region: RegionCode;
  try {
    region = resolveRegionAndMarketplace(inputs).region.code;
  } catch (error) {
    return { check: fail(check, problemsOf(error), regionFix(profile.name, '<na|eu|fe>')) };
  }
  const own = profile.marketplace === undefined ? undefined : findMarketplace(profile.marketplace);
  if (profile.region && own && own.region !== profile.region) {
    return { check: fail(check, `the profile says region ${profile.region} but marketplace ${own.code}, which is in ${own.region}`, `make them agree: ${regionFix(profile.name, own.region)}`), region };
  }
  const recorded = (profile.marketplaces ?? []).map((id) => findMarketplace(id)).filter((m) => m !== undefined);
  const foreign = recorded.filter((m) => m.region !== region);
  const envRegion = environment.env['SPAPI_REGION']?.trim().toLowerCase();
  const fromEnv = !environment.flags.region && !environment.flags.marketplace && envRegion && profile.region && envRegion !== profile.region;
  if (recorded.length && foreign.length === recorded.length) {
    const theirs = [...new Set(recorded.map((m) => m.region))].join('/');
    const why = fromEnv ? `SPAPI_REGION=${envRegion} overrides the profile's region ${profile.region}` : `calls go to ${region}`;
    return {
      check: fail(check, `${why}, but the seller's marketplaces (${recorded.map((m) => m.code).join(', ')}) are in ${theirs}: an authorization covers one region`, fromEnv ? `unset SPAPI_REGION (or set it to ${theirs}) for this profile` : regionFix(profile.name, theirs)),
      region,
    };
  }
  if (fromEnv) return { check: warn(check, `SPAPI_REGION=${envRegion} overrides the profile's region ${profile.region}`, `unset SPAPI_REGION when you use profile ${profile.name}, or pass --region explicitly`), region };
  const market = own ? `, marketplace ${own.code}` : '';
  const seen = recorded.length ? `; the seller's marketplaces (${recorded.map((m) => m.code).join(', ')}) are in it` : '';
  return { check: ok(check, `${region}${market}${seen}`), region };
}
