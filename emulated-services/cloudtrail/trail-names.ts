import type { CallContext } from "../../src/types/service.js";
import { cloudTrailError, invalidHomeRegion, trailNotFound } from "./errors.js";
import { trailArn, trailsOf, visibleIn, type StoredTrail } from "./trails-state.js";

const invalidName = (message: string) => cloudTrailError("InvalidTrailNameException", message);

/**
 * Trail name rules (CloudTrail User Guide, "Naming requirements"; messages as moto words them): 3-128
 * ASCII letters, digits, `.`, `_`, `-`; starting and ending with a letter or digit; no two adjacent
 * punctuation characters; not an IPv4 address.
 */
export function checkTrailName(name: string): void {
  if (name.length < 3) throw invalidName(`Trail name too short. Minimum allowed length: 3 characters. Specified name length: ${name.length} characters.`);
  if (name.length > 128) throw invalidName(`Trail name too long. Maximum allowed length: 128 characters. Specified name length: ${name.length} characters.`);
  if (!/^[A-Za-z0-9]/.test(name)) throw invalidName("Trail name must starts with a letter or number.");
  if (!/[A-Za-z0-9]$/.test(name)) throw invalidName("Trail name must ends with a letter or number.");
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    throw invalidName("Trail name or ARN can only contain uppercase letters, lowercase letters, numbers, periods (.), hyphens (-), and underscores (_).");
  }
  if (/[._-]{2}/.test(name)) throw invalidName("Trail name cannot contain adjacent periods (.), hyphens (-), or underscores (_).");
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) throw invalidName("Trail name cannot be formatted as an IP address.");
}

const TRAIL_ARN = /^arn:aws:cloudtrail:([a-z0-9-]+):(\d{12}):trail\/(.+)$/;

export interface FindOptions {
  /** Mutating operations must be called in the trail's home region (InvalidHomeRegionException). */
  homeRegionOnly?: boolean;
  /** Some operations name a trail that is not found by the ARN it would have in this region (GetTrailStatus, GetEventSelectors). */
  notFoundAsArn?: boolean;
}

/**
 * The trail a Name/TrailName member names (§5.1): a name matches only trails homed in the called region
 * of the caller's account; an ARN reaches any trail visible in the region (multi-region trails homed
 * elsewhere included).
 */
export function findTrail(ctx: CallContext, nameOrArn: string, options: FindOptions = {}): StoredTrail {
  const trails = Object.values(trailsOf(ctx.state, ctx.accountId).trails);
  let trail: StoredTrail | undefined;
  if (nameOrArn.startsWith("arn:")) {
    const m = TRAIL_ARN.exec(nameOrArn);
    if (!m) throw cloudTrailError("CloudTrailARNInvalidException", `Invalid trail ARN: ${nameOrArn}`);
    trail = m[2] === ctx.accountId ? trails.find((t) => t.arn === nameOrArn && visibleIn(t, ctx.region)) : undefined;
  } else {
    checkTrailName(nameOrArn);
    trail = trails.find((t) => t.name === nameOrArn && t.homeRegion === ctx.region);
  }
  if (!trail) {
    const named = options.notFoundAsArn && !nameOrArn.startsWith("arn:") ? trailArn(ctx.region, ctx.accountId, nameOrArn) : nameOrArn;
    throw trailNotFound(named, ctx.accountId);
  }
  if (options.homeRegionOnly && trail.homeRegion !== ctx.region) throw invalidHomeRegion(trail.homeRegion);
  return trail;
}
