import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Which runtimes localtrail runs, and how. nodejs* functions run in a Node.js process (this Node.js, whatever
 * the version named); python* functions in the machine's python3, when there is one. Their AWS SDK is the
 * one the machine has: for Node.js, localtrail's own node_modules (the @aws-sdk/* clients installed with
 * it, found through NODE_PATH and, for ES modules, a resolve hook); for Python, python3's boto3 if installed.
 */
export type RuntimeFamily = "node" | "python";

export function runtimeFamily(runtime: string | undefined): RuntimeFamily | undefined {
  if (runtime?.startsWith("nodejs")) return "node";
  if (runtime?.startsWith("python3")) return "python";
  return undefined;
}

/** Runtimes AWS no longer lets anyone create or update a function with (past their "block update" date). */
const BLOCKED: Record<string, string> = {
  nodejs: "nodejs22.x",
  "nodejs4.3": "nodejs22.x",
  "nodejs4.3-edge": "nodejs22.x",
  "nodejs6.10": "nodejs22.x",
  "nodejs8.10": "nodejs22.x",
  "nodejs10.x": "nodejs22.x",
  "nodejs12.x": "nodejs22.x",
  "nodejs14.x": "nodejs22.x",
  "python2.7": "python3.13",
  "python3.6": "python3.13",
  "python3.7": "python3.13",
  "dotnetcore1.0": "dotnet8",
  "dotnetcore2.0": "dotnet8",
  "dotnetcore2.1": "dotnet8",
  "dotnetcore3.1": "dotnet8",
  "ruby2.5": "ruby3.3",
  "ruby2.7": "ruby3.3",
  "go1.x": "provided.al2023",
};

/** The runtime AWS suggests instead of a blocked one, or undefined when the runtime may be used. */
export const blockedRuntimeReplacement = (runtime: string): string | undefined => (Object.hasOwn(BLOCKED, runtime) ? BLOCKED[runtime] : undefined);

/** localtrail's install directory: the bootstraps live in its source tree, the AWS SDK in its node_modules. */
export const localtrailRoot: string = findRoot(dirname(fileURLToPath(import.meta.url)));

export const bootstrapPath = (file: string) => join(localtrailRoot, "emulated-services", "lambda", "runtime", file);

// import.meta.url is this file in the source tree, or dist/main.js once bundled: walk up to the package.
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "localtrail") return dir;
    if (dirname(dir) === dir) return from;
  }
}
