import type { InternalCallOutcome } from "../internal-calls.js";
import { browserAddress, type ConsoleContext } from "./context.js";

/**
 * The IAM and CloudTrail consoles call AWS from their back end: their records carry `AWS Internal` as the
 * user agent and the browser's address as sourceIPAddress (reference/console.md §4.1, §4.3).
 */
export const CONSOLE_USER_AGENT = "AWS Internal";

export interface ConsoleCall {
  /** The service's descriptor name: `iam`, `cloudtrail`, `s3`, ... */
  service: string;
  operation: string;
  input?: unknown;
  /** IAM and STS are global (recorded in us-east-1); regional services default to the emulator's region. */
  region?: string;
}

/**
 * One console action: an ordinary AWS API call with the signed-in principal's console credentials, through
 * the pipeline from authentication on (env.invoke), so it is resolved, recorded, delivered and enforced
 * like a CLI call. The outcome holds the output or the AwsError; the page decides how to show an error.
 */
export function awsCall<O = unknown>(c: ConsoleContext, call: ConsoleCall): Promise<InternalCallOutcome<O>> {
  const { env } = c.var.deps;
  return env.invoke<O>({
    service: call.service,
    operation: call.operation,
    input: call.input ?? {},
    region: call.region ?? env.config.region,
    as: { accessKeyId: c.var.session.credentials.accessKeyId },
    sourceIp: browserAddress(c),
    userAgent: CONSOLE_USER_AGENT,
  });
}
