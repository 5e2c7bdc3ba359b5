/** A command's failure, told to the user in one line (exit status 1), never a stack trace. */
export class CommandError extends Error {}

/** Where a running localtrail answers: --endpoint, LOCALTRAIL_ENDPOINT, or the default port on this machine. */
export function endpointOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return (flag ?? env.LOCALTRAIL_ENDPOINT ?? "http://127.0.0.1:4566").replace(/\/+$/, "");
}
