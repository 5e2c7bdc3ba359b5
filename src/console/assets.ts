import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The console's script and style sheet, one bundle of src/console/client/main.ts (which imports console.css
 * and whatever library CSS a page needs). `npm run build` writes them beside dist/main.js; run from the
 * sources (tests, tsx) they are bundled in memory on first use with the same esbuild settings. Nothing is
 * fetched at run time: the console works offline.
 */
export interface ConsoleAssets {
  js: string;
  css: string;
}

/** The one set of esbuild options for the client bundle (scripts/build.mjs uses them too). */
export const CLIENT_BUILD = {
  bundle: true,
  format: "esm",
  target: "es2022",
  minify: true,
  legalComments: "none",
  logLevel: "warning",
} as const;

let built: Promise<ConsoleAssets> | undefined;

export function consoleAssets(): Promise<ConsoleAssets> {
  built ??= load();
  return built;
}

async function load(): Promise<ConsoleAssets> {
  // Bundled, this module is dist/main.js and the assets are its neighbours.
  const js = new URL("./console.js", import.meta.url);
  const css = new URL("./console.css", import.meta.url);
  if (existsSync(js) && existsSync(css) && import.meta.url.endsWith("/main.js")) return { js: readFileSync(js, "utf8"), css: readFileSync(css, "utf8") };
  const { build } = await import("esbuild");
  const result = await build({
    ...CLIENT_BUILD,
    entryPoints: { console: fileURLToPath(new URL("./client/main.ts", import.meta.url)) },
    outdir: "/console-assets",
    write: false,
  });
  const file = (ext: string) => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? "";
  return { js: file(".js"), css: file(".css") };
}

/** The product's mark as the tab's icon. */
export const FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><rect width="24" height="24" rx="5" fill="#232f3e"/><g fill="#ff9900"><circle cx="6" cy="17" r="2.4"/><circle cx="12" cy="12" r="2.4"/><circle cx="18" cy="7" r="2.4"/></g></svg>`;
