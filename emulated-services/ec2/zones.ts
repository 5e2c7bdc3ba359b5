/**
 * The commercial regions and their availability zones. Regions enabled by default answer
 * `opt-in-not-required`; the opt-in ones `not-opted-in` (listed only with AllRegions). Zone ids follow AWS's
 * form (use1-az1); which letter maps to which id differs per account on AWS, here it is fixed.
 */

export interface RegionInfo {
  name: string;
  longName: string;
  optIn: boolean;
  /** Zone letters; most regions have a, b, c. */
  zones: string;
}

const REGIONS: RegionInfo[] = [
  { name: "ap-south-1", longName: "Asia Pacific (Mumbai)", optIn: false, zones: "abc" },
  { name: "eu-north-1", longName: "Europe (Stockholm)", optIn: false, zones: "abc" },
  { name: "eu-west-3", longName: "Europe (Paris)", optIn: false, zones: "abc" },
  { name: "eu-west-2", longName: "Europe (London)", optIn: false, zones: "abc" },
  { name: "eu-west-1", longName: "Europe (Ireland)", optIn: false, zones: "abc" },
  { name: "ap-northeast-3", longName: "Asia Pacific (Osaka)", optIn: false, zones: "abc" },
  { name: "ap-northeast-2", longName: "Asia Pacific (Seoul)", optIn: false, zones: "abcd" },
  { name: "ap-northeast-1", longName: "Asia Pacific (Tokyo)", optIn: false, zones: "acd" },
  { name: "ca-central-1", longName: "Canada (Central)", optIn: false, zones: "abd" },
  { name: "sa-east-1", longName: "South America (Sao Paulo)", optIn: false, zones: "abc" },
  { name: "ap-southeast-1", longName: "Asia Pacific (Singapore)", optIn: false, zones: "abc" },
  { name: "ap-southeast-2", longName: "Asia Pacific (Sydney)", optIn: false, zones: "abc" },
  { name: "eu-central-1", longName: "Europe (Frankfurt)", optIn: false, zones: "abc" },
  { name: "us-east-1", longName: "US East (N. Virginia)", optIn: false, zones: "abcdef" },
  { name: "us-east-2", longName: "US East (Ohio)", optIn: false, zones: "abc" },
  { name: "us-west-1", longName: "US West (N. California)", optIn: false, zones: "bc" },
  { name: "us-west-2", longName: "US West (Oregon)", optIn: false, zones: "abcd" },
  { name: "af-south-1", longName: "Africa (Cape Town)", optIn: true, zones: "abc" },
  { name: "ap-east-1", longName: "Asia Pacific (Hong Kong)", optIn: true, zones: "abc" },
  { name: "ap-south-2", longName: "Asia Pacific (Hyderabad)", optIn: true, zones: "abc" },
  { name: "ap-southeast-3", longName: "Asia Pacific (Jakarta)", optIn: true, zones: "abc" },
  { name: "ap-southeast-4", longName: "Asia Pacific (Melbourne)", optIn: true, zones: "abc" },
  { name: "ca-west-1", longName: "Canada West (Calgary)", optIn: true, zones: "abc" },
  { name: "eu-central-2", longName: "Europe (Zurich)", optIn: true, zones: "abc" },
  { name: "eu-south-1", longName: "Europe (Milan)", optIn: true, zones: "abc" },
  { name: "eu-south-2", longName: "Europe (Spain)", optIn: true, zones: "abc" },
  { name: "il-central-1", longName: "Israel (Tel Aviv)", optIn: true, zones: "abc" },
  { name: "me-central-1", longName: "Middle East (UAE)", optIn: true, zones: "abc" },
  { name: "me-south-1", longName: "Middle East (Bahrain)", optIn: true, zones: "abc" },
];

export const allRegions = (): RegionInfo[] => REGIONS;

/** A region the catalogue does not list still works, with zones a to c, as a newly launched region would. */
export const regionInfo = (name: string): RegionInfo =>
  REGIONS.find((r) => r.name === name) ?? { name, longName: name, optIn: true, zones: "abc" };

export interface ZoneInfo {
  zoneName: string;
  zoneId: string;
  regionName: string;
  groupLongName: string;
}

export function zonesOf(region: string): ZoneInfo[] {
  const info = regionInfo(region);
  return [...info.zones].map((letter, i) => ({
    zoneName: `${region}${letter}`,
    zoneId: `${shortCode(region)}-az${i + 1}`,
    regionName: region,
    groupLongName: `${info.longName} ${i + 1}`,
  }));
}

export const zoneByName = (region: string, name: string): ZoneInfo | undefined => zonesOf(region).find((z) => z.zoneName === name);

const DIRECTIONS: Record<string, string> = {
  east: "e",
  west: "w",
  north: "n",
  south: "s",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

/** us-east-1 -> use1, ap-northeast-1 -> apne1: the stem of AWS's zone ids. */
function shortCode(region: string): string {
  const [area, direction, number] = region.split("-");
  return `${area}${DIRECTIONS[direction ?? ""] ?? direction ?? ""}${number ?? ""}`;
}

/** The private DNS suffix of instances: ec2.internal in us-east-1, <region>.compute.internal elsewhere. */
export const privateDnsSuffix = (region: string): string => (region === "us-east-1" ? "ec2.internal" : `${region}.compute.internal`);

/** Public DNS of an address: ec2-3-4-5-6.compute-1.amazonaws.com in us-east-1, .<region>.compute.amazonaws.com elsewhere. */
export const publicDnsName = (region: string, ip: string): string =>
  `ec2-${ip.replace(/\./g, "-")}.${region === "us-east-1" ? "compute-1" : `${region}.compute`}.amazonaws.com`;
