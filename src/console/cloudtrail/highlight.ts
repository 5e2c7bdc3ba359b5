import { createRequire } from "node:module";

/** The part of highlight.js used here; its own typings pull the DOM library into the server's type check. */
interface Highlighter {
  registerLanguage(name: string, language: unknown): void;
  highlight(code: string, options: { language: string; ignoreIllegals: boolean }): { value: string };
}

const require = createRequire(import.meta.url);
const hljs = require("highlight.js/lib/core") as Highlighter;
hljs.registerLanguage("json", require("highlight.js/lib/languages/json") as unknown);

/**
 * A record as indented JSON marked up by highlight.js on the server (its JSON grammar only): the page needs no
 * script to show it, and highlight.js escapes the text, so markup inside a value (a user agent, a role
 * description) stays text.
 */
export function highlightedJson(recordJson: string): string {
  let pretty: string;
  try {
    pretty = JSON.stringify(JSON.parse(recordJson), null, 2);
  } catch {
    pretty = recordJson;
  }
  return hljs.highlight(pretty, { language: "json", ignoreIllegals: true }).value;
}
