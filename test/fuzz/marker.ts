import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Paths under `roots` (two levels deep, the data dir excepted) whose name contains `marker`. */
export function findMarker(marker: string, roots: string[], except: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (dir.startsWith(except) || depth > 2) return;
    let entries: string[];
    try {
      entries = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of entries) {
      const path = join(dir, name);
      if (name.includes(marker)) found.push(path);
      if (!name.startsWith(".") && name !== "node_modules") walk(path, depth + 1);
    }
  };
  for (const root of roots) walk(root, 0);
  return found;
}
