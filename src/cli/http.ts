import { parseArgs } from "node:util";

export const DEFAULT_ENDPOINT = "http://127.0.0.1:4566";

/** A command's mistake in its arguments or a failure to reach the server: one line for the person, and an exit code. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export interface CommandArgs {
  /** A string flag's value. */
  text(name: string): string | undefined;
  /** Whether a boolean flag is set. */
  flag(name: string): boolean;
  positionals: string[];
  endpoint: string;
}

/** parseArgs with `--endpoint` (and LOCALTRAIL_ENDPOINT) and `--help` added; a bad flag is a CommandError (exit 2). */
export function parseCommandArgs(args: string[], options: Record<string, { type: "string" | "boolean"; short?: string }>, allowPositionals = false): CommandArgs {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, endpoint: { type: "string" }, help: { type: "boolean", short: "h" } }, allowPositionals, strict: true });
  } catch (e) {
    throw new CommandError((e as Error).message, 2);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const text = (name: string) => (typeof values[name] === "string" ? (values[name] as string) : undefined);
  return {
    text,
    flag: (name) => values[name] === true,
    positionals: parsed.positionals,
    endpoint: (text("endpoint") ?? process.env.LOCALTRAIL_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, ""),
  };
}

/** Calls a control endpoint of a running localtrail, telling plainly when none answers. */
export async function control(endpoint: string, path: string, init?: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(`${endpoint}${path}`, init);
  } catch {
    throw new CommandError(`localtrail: nothing answers at ${endpoint}. Is localtrail running? Start it with \`localtrail\` (or give --endpoint).`);
  }
  if (!res.ok) {
    const text = await res.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? text;
    } catch {
      // not JSON: the text itself
    }
    throw new CommandError(`localtrail: ${endpoint}${path.split("?")[0]}: ${res.status} ${message}`);
  }
  return res;
}

/** Where a running localtrail answers: --endpoint, LOCALTRAIL_ENDPOINT, or the default port on this machine. */
export function endpointOf(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  return (flag ?? env.LOCALTRAIL_ENDPOINT ?? DEFAULT_ENDPOINT).replace(/\/+$/, "");
}
