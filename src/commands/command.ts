/** A command's failure, told to the user in one line, never a stack trace: the one class every subcommand throws. */
export { CommandError } from "../cli/http.js";

/** Where a running localtrail answers: --endpoint, LOCALTRAIL_ENDPOINT, or the default port on this machine. */
export function endpointOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return (flag ?? env.LOCALTRAIL_ENDPOINT ?? "http://127.0.0.1:4566").replace(/\/+$/, "");
}
