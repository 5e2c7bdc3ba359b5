// Bundles the TypeScript sources with esbuild (about 100 ms), so the `localtrail` command runs plain
// JavaScript: no compiler at run time, a fast start. Type checking is `npm run typecheck` (tsc).
// The console's browser script and style sheet are a bundle of their own: dist/console.js and dist/console.css.
//
//   node scripts/build.mjs             dist/main.js (the command), dist/testing.js and .cjs (localtrail/testing),
//                                      and dist/types/ (their declarations, with tsc)
//   node scripts/build.mjs --if-stale  the bundles only, and only when a file they were built from is newer than
//                                      them (npm start): a few hundred stats of the files dist/build-inputs.json
//                                      lists, no directory walk and no esbuild when nothing changed
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const ifStale = process.argv.includes("--if-stale");
const outputs = ["dist/main.js", "dist/testing.js", "dist/testing.cjs", "dist/console.js"].map((f) => join(root, f));
/** What the bundles were built from (esbuild's metafile inputs), for stale(). */
const inputsFile = join(root, "dist", "build-inputs.json");

if (ifStale && !stale()) process.exit(0);
let build;
try {
  ({ build } = await import("esbuild"));
} catch {
  // An install without development dependencies (npm ci --omit=dev) runs prepare too: the bundle it
  // came with is the one to use.
  if (existsSync(outputs[0])) process.exit(0);
  console.error("build: esbuild is not installed (a development dependency): run npm ci");
  process.exit(1);
}

const common = { bundle: true, platform: "node", target: "node20", packages: "external", sourcemap: true, logLevel: "warning", absWorkingDir: root, metafile: true };
// The command's chunks are named by content hash: drop the previous build's before writing new ones.
if (existsSync(join(root, "dist"))) for (const f of readdirSync(join(root, "dist"))) if (f.startsWith("chunk-")) rmSync(join(root, "dist", f));
const results = await Promise.all([
  // Split: `localtrail events` and the other commands load a small chunk, not the whole emulator.
  build({ ...common, entryPoints: { main: "src/main.ts" }, outdir: "dist", format: "esm", splitting: true, chunkNames: "chunk-[hash]" }),
  build({ ...common, entryPoints: ["src/testing/index.ts"], outfile: "dist/testing.js", format: "esm" }),
  // Jest without ESM support requires CommonJS; import.meta.url becomes the file's own URL.
  build({
    ...common,
    entryPoints: ["src/testing/index.ts"],
    outfile: "dist/testing.cjs",
    format: "cjs",
    define: { "import.meta.url": "__localtrailModuleUrl" },
    banner: { js: 'const __localtrailModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  }),
  // The same options as src/console/assets.ts uses when it bundles in memory (run from the sources).
  build({
    entryPoints: { console: "src/console/client/main.ts" },
    outdir: "dist",
    bundle: true,
    format: "esm",
    target: "es2022",
    minify: true,
    legalComments: "none",
    logLevel: "warning",
    absWorkingDir: root,
    metafile: true,
  }),
]);
// A new source file changes nothing until a listed one imports it, and that one's time then moves.
const inputs = new Set(results.flatMap((r) => Object.keys(r.metafile.inputs)).filter((f) => !f.includes(":")));
writeFileSync(inputsFile, `${JSON.stringify([...inputs].sort())}\n`);
// esbuild leaves a file whose content did not change untouched: mark the bundles as built now, for stale().
const now = new Date();
for (const f of outputs) utimesSync(f, now, now);

if (!ifStale) {
  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  } catch {
    console.warn("build: typescript is not installed; dist/types (localtrail/testing's declarations) not written");
  }
  if (tsc) execFileSync(process.execPath, [tsc, "-p", "tsconfig.testing.json"], { cwd: root, stdio: "inherit" });
}

/** Whether a bundle is missing, or older than a file it was built from (or one of those is gone). */
function stale() {
  const built = Math.min(...outputs.map((f) => statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? -Infinity));
  if (built === -Infinity || !existsSync(inputsFile)) return true;
  const files = [...JSON.parse(readFileSync(inputsFile, "utf8")), "package.json", "package-lock.json", "scripts/build.mjs"];
  return files.some((f) => (statSync(join(root, f), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) > built);
}
