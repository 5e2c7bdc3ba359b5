import type { RawRequest } from "../../src/types/request-context.js";

/** The global endpoint's host name, as a client pointed at it sends it. */
const GLOBAL_HOST = /^sts\.amazonaws\.com(:\d+)?$/i;

/**
 * The region a call to STS is recorded in. AWS records a call to the global endpoint (sts.amazonaws.com,
 * which clients sign for us-east-1) in us-east-1, and a call to a regional endpoint (sts.<region>.amazonaws.com,
 * the default of current botocore, CLI v2 and SDK v3) in that region, where the call is served (IAM User Guide,
 * "AWS STS Regions and endpoints"). The credential scope names the region a client meant; only a Host that is
 * the global endpoint (a client pointed at it through a proxy or hosts file) says it was the global one.
 */
export function stsRecordRegion({ region, request }: { region: string; request: RawRequest }): string {
  const host = request.headers.host ?? "";
  if (GLOBAL_HOST.test(host)) return "us-east-1";
  // An unsigned call (AssumeRoleWithWebIdentity) has no credential scope: a regional Host is its only word on the region.
  return REGIONAL_HOST.exec(host)?.[1] ?? region;
}

/** A regional endpoint's host name, sts.<region>.amazonaws.com. */
const REGIONAL_HOST = /^sts\.([a-z]{2}(?:-[a-z]+)+-\d)\.amazonaws\.com(?::\d+)?$/i;
