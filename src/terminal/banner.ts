import type { Config } from "../config.js";
import { VERSION } from "../version.js";

/** What a person starting localtrail wants to know first: where it answers, where it keeps things, how strict it is. */
export function banner(config: Config, url: string, dataDir: string | undefined): string {
  const rows: [string, string][] = [
    ["endpoint", url],
    ["data dir", dataDir ?? "in memory (--ephemeral): nothing is kept after it stops"],
    ["signatures", config.verify ? "verified (SigV4, S3 SigV2 presigned URLs)" : "not verified (--no-verify): identity still comes from the access key"],
    ["IAM policies", config.enforceIam === "off" ? "not enforced (every authenticated caller may call everything; --enforce-iam to evaluate them)" : config.enforceIam === "on" ? "enforced (--enforce-iam)" : "soft: denials recorded, calls allowed (--enforce-iam soft)"],
    ["credentials", "access key test / secret test (root of 000000000000)"],
  ];
  return [`localtrail ${VERSION}`, ...rows.map(([k, v]) => `  ${k.padEnd(14)}${v}`)].join("\n");
}
