import { TOOL_PATH } from "./cli.js";
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const BIN = join(import.meta.dirname, "../../bin/localtrail.js");

export interface ServerProcess {
  proc: ChildProcess;
  url: string;
  output(): string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string | null>;
}

/** Starts the `localtrail` command (the built bundle) and resolves once it printed `Ready.`. */
export function startProcess(args: string[], env: Record<string, string> = {}, cwd?: string): Promise<ServerProcess> {
  const proc = spawn(process.execPath, [BIN, ...args], { env: { PATH: TOOL_PATH, ...env }, stdio: ["ignore", "pipe", "pipe"], cwd });
  let output = "";
  const exited = new Promise<number | string | null>((resolve) => proc.once("exit", (code, signal) => resolve(code ?? signal)));
  return new Promise((resolve, reject) => {
    proc.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const m = /^localtrail ready on (http:\/\/\S+)\nReady\.\n/m.exec(output);
      if (m) {
        resolve({ proc, url: m[1]!, output: () => output, exited });
      }
    });
    proc.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    void exited.then((code) => reject(new Error(`exited ${String(code)}: ${output}`)));
  });
}
