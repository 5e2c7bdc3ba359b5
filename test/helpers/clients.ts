import type { AwsCredentialIdentity } from "@smithy/types";

export const ROOT: AwsCredentialIdentity = { accessKeyId: "test", secretAccessKey: "test" };

/**
 * Settings for an SDK v3 client aimed at a test server: one attempt (a retry would hide an error and record
 * twice), path-style S3, the given credentials.
 */
export function clientConfig(url: string, credentials: AwsCredentialIdentity = ROOT, region = "us-east-1") {
  return { endpoint: url, region, credentials, maxAttempts: 1, forcePathStyle: true };
}
