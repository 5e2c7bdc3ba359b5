/** How IAM judges the Resource and NotResource entries of an identity policy. */

const PARTITIONS = new Set(["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]);
const IAM_PATHS = [
  "user/", "federated-user/", "role/", "group/", "instance-profile/", "mfa/", "server-certificate/", "policy/",
  "sms-mfa/", "saml-provider/", "oidc-provider/", "report/", "access-report/",
];

/** `s` split at the first `separator`: before, after, and whether it was there. */
function cut(s: string, separator = ":"): [string, string, boolean] {
  const i = s.indexOf(separator);
  return i < 0 ? [s, "", false] : [s.slice(0, i), s.slice(i + 1), true];
}

/** The message IAM gives for a malformed resource ARN, or undefined when it is acceptable. */
export function resourceProblem(resource: string): string | undefined {
  if (resource === "*") return undefined;
  const [, afterArn, isArn] = cut(resource);
  if (!isArn) return `Resource ${resource} must be in ARN format or "*".`;
  const [partition, afterPartition, hasVendor] = cut(afterArn);
  if (partition !== "*" && !PARTITIONS.has(partition)) return badPartition(partition, afterPartition);
  if (!hasVendor) return "Resource vendor must be fully qualified and cannot contain regexes.";
  const [service, afterService] = cut(afterPartition);
  const [, afterRegion] = cut(afterService);
  const [, resourceId] = cut(afterRegion);
  const hasRegion = !afterService.startsWith(":");
  if (service === "iam" && hasRegion) return `IAM resource ${resource} cannot contain region information.`;
  if (service === "s3" && hasRegion && !resourceId.startsWith("accesspoint/")) return `Resource ${resource} can not contain region information.`;
  if (service === "iam" && resourceId !== "*" && resourceId !== "root" && !IAM_PATHS.some((p) => resourceId.startsWith(p))) {
    return `IAM resource path must either be "*", root, or start with ${IAM_PATHS.join(", ")}.`;
  }
  return undefined;
}

/** IAM echoes a bad partition back as a six-part ARN, filling missing parts with `*`. */
function badPartition(partition: string, rest: string): string {
  const parts = rest.split(":");
  const first = parts[0] !== "" || parts.length > 1 ? parts[0] : "*";
  const [second = "*", third = "*"] = parts.slice(1, 3);
  const fourth = parts.length > 3 ? parts.slice(3).join(":") : "*";
  return `Partition "${partition}" is not valid for resource "arn:${partition}:${first}:${second}:${third}:${fourth}".`;
}

/**
 * The legacy parser rejects a `::` in too short an ARN (arn:aws:s3::bucket) and, for a Resource given as a
 * single string, an empty or missing service (arn:aws::x).
 */
export function legacyResourceOk(resource: string, single: boolean): boolean {
  if (resource === "*") return true;
  const parts = resource.split(":");
  if (parts.length - 1 < 5 && resource.includes("::")) return false;
  return !single || (parts[2] !== undefined && parts[2] !== "");
}
