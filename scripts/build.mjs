// Bundles the TypeScript sources into dist/main.js with esbuild (about 100 ms), so `npm start` runs plain
// JavaScript: no compiler at run time, a fast start. Type checking is `npm run typecheck` (tsc).
import { build } from "esbuild";

await build({
  entryPoints: ["src/main.ts"],
  outfile: "dist/main.js",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
});
