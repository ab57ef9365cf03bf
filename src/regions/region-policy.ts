import { AWS_REGIONS } from './aws-regions.js';

/** The shape of a region name fleetca accepts at all (a DNS label: it goes into ARNs and endpoint names). */
export const REGION_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Which region names are real: AWS's (aws-regions.ts) and the operator's private ones (`privateRegions` in
 * config.json, FLEETCA_PRIVATE_REGIONS). The one check every door uses: the REST door's SigV4 scope, the CLI's
 * `--region` in local mode, config.json's defaultRegion and `serve --regions`. Without it a typo such as
 * us-esat-1 would silently get its own empty registry.
 */
export interface RegionPolicy {
  accepts(region: string): boolean;
  /** Why a name is refused and what to do, for a message. */
  refusal(region: string): string;
}

export class RegionNameError extends Error {
  override readonly name = 'RegionNameError';
}

export function regionPolicy(privateRegions: readonly string[] = []): RegionPolicy {
  const bad = privateRegions.find((region) => !REGION_NAME.test(region));
  if (bad !== undefined) {
    throw new RegionNameError(
      `private region ${JSON.stringify(bad)} is not a region name (lowercase letters, digits and hyphens)`,
    );
  }
  const extra: ReadonlySet<string> = new Set(privateRegions);
  return {
    accepts: (region) => AWS_REGIONS.has(region) || extra.has(region),
    refusal: (region) =>
      `${JSON.stringify(region)} is not an AWS region` +
      (extra.size > 0 ? ` nor one of the private regions (${[...extra].join(', ')})` : '') +
      '; check its spelling, or add it to "privateRegions" in config.json (or FLEETCA_PRIVATE_REGIONS) to use a private region name',
  };
}

/** FLEETCA_PRIVATE_REGIONS: comma-separated names, blanks ignored. */
export function parseRegionList(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(',')
    .map((region) => region.trim())
    .filter((region) => region !== '');
}
