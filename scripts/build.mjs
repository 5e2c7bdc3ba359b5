// Bundles the TypeScript sources into dist/main.js with esbuild (about 100 ms), so `npm start` runs plain
// JavaScript: no compiler at run time, a fast start. Type checking is `npm run typecheck` (tsc).
// The console's browser script and style sheet are a second bundle: dist/console.js and dist/console.css.
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

// The same options as src/console/assets.ts uses when it bundles in memory (run from the sources).
await build({
  entryPoints: { console: "src/console/client/main.ts" },
  outdir: "dist",
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
});
