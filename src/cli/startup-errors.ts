import { accessSync, constants, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** Exit codes of the `localtrail` command. */
export const EXIT = { ok: 0, failed: 1, usage: 2, portUnavailable: 3, dataDirUnusable: 4 } as const;

/** A failure a person can fix, told in one line, with its exit code: never a stack trace. */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The data dir must be a directory localtrail can create and write; found out before anything is opened. */
export function checkDataDir(dataDir: string): void {
  const dir = resolve(dataDir);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    const probe = join(dir, `.write-check-${process.pid}`);
    writeFileSync(probe, "");
    rmSync(probe);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "EROFS" ? "read-only file system" : code === "ENOTDIR" || code === "EEXIST" ? "a file is in the way" : (e as Error).message;
    throw new StartupError(`localtrail: cannot use the data dir ${dir}: ${why}. Choose another with --data-dir, or run with --ephemeral.`, EXIT.dataDirUnusable);
  }
}

/** Turns a listen failure into what to do about it. */
export function listenError(e: unknown, host: string, port: number): StartupError | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EADDRINUSE") return new StartupError(`localtrail: port ${port} on ${host} is already in use (another localtrail or LocalStack?). Stop it, or choose another port with --port.`, EXIT.portUnavailable);
  if (code === "EACCES" || code === "EPERM") return new StartupError(`localtrail: not allowed to listen on ${host}:${port}. Ports below 1024 need privileges: choose another with --port.`, EXIT.portUnavailable);
  if (code === "EADDRNOTAVAIL" || code === "ENOTFOUND") return new StartupError(`localtrail: ${host} is not an address of this machine. Choose another with --host.`, EXIT.portUnavailable);
  return undefined;
}
