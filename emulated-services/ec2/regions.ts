import type { AvailabilityZone, Region } from "../../src/generated/types/ec2.js";
import { invalidParameterValue } from "./errors.js";
import { applyFilters } from "./filters.js";
import type { Op } from "./op.js";
import { allRegions, zonesOf, type RegionInfo, type ZoneInfo } from "./zones.js";

const optInStatus = (r: RegionInfo) => (r.optIn ? "not-opted-in" : "opt-in-not-required");

const toRegion = (r: RegionInfo): Region => ({ RegionName: r.name, Endpoint: `ec2.${r.name}.amazonaws.com`, OptInStatus: optInStatus(r) });

/** The regions enabled for the account; with AllRegions, the opt-in ones too. */
export const describeRegions: Op<"DescribeRegions"> = (input) => {
  let regions = allRegions().filter((r) => input.AllRegions === true || !r.optIn);
  if (input.RegionNames?.length) {
    const unknown = input.RegionNames.find((name) => !allRegions().some((r) => r.name === name));
    if (unknown !== undefined) throw invalidParameterValue(`Invalid region: ${unknown}`);
    regions = allRegions().filter((r) => input.RegionNames!.includes(r.name));
  }
  const filtered = applyFilters(regions, input.Filters, {
    endpoint: (r) => `ec2.${r.name}.amazonaws.com`,
    "opt-in-status": optInStatus,
    "region-name": (r) => r.name,
  });
  return { Regions: filtered.map(toRegion) };
};

const toZone = (z: ZoneInfo): AvailabilityZone => ({
  State: "available",
  OptInStatus: "opt-in-not-required",
  Messages: [],
  RegionName: z.regionName,
  ZoneName: z.zoneName,
  ZoneId: z.zoneId,
  GroupName: `${z.regionName}-zg-1`,
  NetworkBorderGroup: z.regionName,
  ZoneType: "availability-zone",
  GroupLongName: z.groupLongName,
});

/** The zones of the region called: each region answers for its own zones only. */
export const describeAvailabilityZones: Op<"DescribeAvailabilityZones"> = (input, ctx) => {
  let zones = zonesOf(ctx.region);
  const named = [...(input.ZoneNames ?? []), ...(input.ZoneIds ?? [])];
  if (named.length > 0) {
    const unknown = named.find((n) => !zones.some((z) => z.zoneName === n || z.zoneId === n));
    if (unknown !== undefined) throw invalidParameterValue(`The zone '${unknown}' does not exist.`);
    zones = zones.filter((z) => named.includes(z.zoneName) || named.includes(z.zoneId));
  }
  const filtered = applyFilters(zones, input.Filters, {
    "zone-name": (z) => z.zoneName,
    "zone-id": (z) => z.zoneId,
    "region-name": (z) => z.regionName,
    state: () => "available",
    "opt-in-status": () => "opt-in-not-required",
    "zone-type": () => "availability-zone",
    "group-name": (z) => `${z.regionName}-zg-1`,
    "network-border-group": (z) => z.regionName,
  });
  return { AvailabilityZones: filtered.map(toZone) };
};
