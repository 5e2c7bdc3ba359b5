import type { AwsCredentialIdentity } from "@smithy/types";

export const ROOT: AwsCredentialIdentity = { accessKeyId: "test", secretAccessKey: "test" };

/**
 * Settings for an SDK v3 client aimed at a test server: one attempt (a retry would hide an error and record
 * twice), path-style S3, the given credentials.
 */
export function clientConfig(url: string, credentials: AwsCredentialIdentity = ROOT, region = "us-east-1") {
  return { endpoint: url, region, credentials, maxAttempts: 1, forcePathStyle: true };
}

/** An SDK v3 service error as tests look at it. */
export interface SdkError {
  name: string;
  message: string;
  Code?: string;
  $metadata: { httpStatusCode?: number; requestId?: string };
}

/** The error a call fails with; fails the test when the call succeeds. */
export async function sdkError(call: Promise<unknown>): Promise<SdkError> {
  try {
    await call;
  } catch (e) {
    return e as SdkError;
  }
  throw new Error("expected the call to fail");
}

/** How a call failed: the SDK's error name (the AWS code), the HTTP status and the message. */
export async function failure(call: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  const err = await sdkError(call);
  return { name: err.name, status: err.$metadata?.httpStatusCode, message: err.message };
}

/** Only the code and the HTTP status of a failure, for exact comparisons. */
export async function codeAndStatus(call: Promise<unknown>): Promise<{ name: string; status?: number }> {
  const { name, status } = await failure(call);
  return { name, status };
}
