import type { InvokeInternal } from "../../internal-calls.js";

/**
 * The AWS calls a console page makes for its signed-in principal: through the pipeline (env.invoke) with the
 * session's temporary credentials, from the browser's address, with the console's user agent, so each is
 * authenticated, recorded and (with --enforce-iam) authorized like the same call from the CLI. A failed call
 * rejects with its AwsError (code, message), which the page shows as AWS's console does.
 */
export interface SessionCalls {
  call<O>(service: string, operation: string, input: unknown, region?: string): Promise<O>;
  /** The region the pages work in (the console's Region selector). */
  region: string;
}

/** The CloudTrail console's calls are recorded with userAgent `AWS Internal` (reference/console.md §4.1). */
export const CONSOLE_USER_AGENT = "AWS Internal";

export function sessionCalls(invoke: InvokeInternal, session: { accessKeyId: string; sourceIp: string; region: string; userAgent?: string }): SessionCalls {
  return {
    region: session.region,
    async call<O>(service: string, operation: string, input: unknown, region = session.region): Promise<O> {
      const outcome = await invoke<O>({ service, operation, input, region, as: { accessKeyId: session.accessKeyId }, sourceIp: session.sourceIp, userAgent: session.userAgent ?? CONSOLE_USER_AGENT });
      if (outcome.error) throw outcome.error;
      return outcome.output as O;
    },
  };
}
