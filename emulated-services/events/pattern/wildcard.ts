import { PatternError } from "./pattern-error.js";

/**
 * The `wildcard` filter: `*` stands for any run of characters, `\*` and `\\` for themselves. AWS refuses
 * two wildcards in a row and any other escape (aws/event-ruler WildcardParser).
 */
export function compileWildcard(pattern: string): (s: string) => boolean {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next !== "*" && next !== "\\") throw new PatternError(`Invalid escape character at pos ${i}`);
      source += `\\${next}`;
      i++;
    } else if (c === "*") {
      if (pattern[i + 1] === "*") throw new PatternError(`Consecutive wildcard characters at pos ${i + 1}`);
      source += "[\\s\\S]*";
    } else {
      source += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  const regex = new RegExp(`^${source}$`, "u");
  return (s) => regex.test(s);
}
