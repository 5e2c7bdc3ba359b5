import type { Target } from "../../../src/generated/types/events.js";
import type { BusEvent } from "./bus-event.js";

/**
 * What a target receives (EventBridge User Guide, "Transforming target input"): the event; or Input, a
 * constant; or InputPath, the part of the event a JSONPath names; or InputTransformer, whose template gets
 * the values its InputPathsMap picks. In the template a placeholder inside a JSON string takes the value's
 * text, one outside takes its JSON; `<aws.events.rule-arn>`, `<aws.events.rule-name>`,
 * `<aws.events.event.ingestion-time>`, `<aws.events.event>` and `<aws.events.event.json>` are predefined.
 */
export function targetInput(target: Target, event: BusEvent, rule: { arn: string; name: string }, ingestedAt: string): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(jsonPath(event, target.InputPath) ?? null);
  const transformer = target.InputTransformer;
  if (!transformer) return JSON.stringify(event);
  const values = new Map<string, unknown>();
  for (const [name, path] of Object.entries(transformer.InputPathsMap ?? {})) values.set(name, jsonPath(event, path));
  values.set("aws.events.rule-arn", rule.arn);
  values.set("aws.events.rule-name", rule.name);
  values.set("aws.events.event.ingestion-time", ingestedAt);
  values.set("aws.events.event", event);
  values.set("aws.events.event.json", event);
  return fillTemplate(transformer.InputTemplate, values);
}

function fillTemplate(template: string, values: Map<string, unknown>): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === "<") {
      const end = template.indexOf(">", i);
      const name = end > i ? template.slice(i + 1, end) : undefined;
      if (name !== undefined && values.has(name)) {
        const value = values.get(name);
        if (inString) {
          const text = typeof value === "string" ? value : JSON.stringify(value ?? null);
          out += JSON.stringify(text).slice(1, -1);
        } else {
          out += JSON.stringify(value ?? null);
        }
        i = end;
        continue;
      }
    }
    if (c === "\\" && inString) {
      out += c + (template[i + 1] ?? "");
      i++;
      continue;
    }
    if (c === '"') inString = !inString;
    out += c;
  }
  return out;
}

/** The JSONPath subset EventBridge accepts: `$`, `$.a.b`, `$.detail-type`, `$.a[0]`, `$['a b']`. */
export function jsonPath(root: unknown, path: string): unknown {
  if (!path.startsWith("$")) return undefined;
  let value: unknown = root;
  const steps = /\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/g;
  let consumed = 1;
  for (const m of path.slice(1).matchAll(steps)) {
    if (m.index !== consumed - 1) return undefined;
    consumed += m[0].length;
    const key = m[1] ?? m[3] ?? m[4];
    if (key !== undefined) value = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
    else value = Array.isArray(value) ? value[Number(m[2])] : undefined;
    if (value === undefined) return undefined;
  }
  return consumed === path.length ? value : undefined;
}
