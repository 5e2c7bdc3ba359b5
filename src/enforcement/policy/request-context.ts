/**
 * The condition keys of one request as policies see them (IAM User Guide, "Policy evaluation logic: request
 * context"). Key names are case-insensitive; a key the request does not have answers undefined, which is not
 * the same as an empty list (`Null`, `…IfExists` and `ForAllValues` tell them apart).
 */
export interface RequestContext {
  /** Every value of a key; single-valued keys answer a list of one. */
  values(key: string): readonly string[] | undefined;
}

/** A context over fixed values, with keys given in any case. */
export function fixedContext(values: Record<string, string | readonly string[] | undefined>): RequestContext {
  const byKey = new Map<string, readonly string[]>();
  for (const [k, v] of Object.entries(values)) if (v !== undefined) byKey.set(k.toLowerCase(), typeof v === "string" ? [v] : v);
  return { values: (key) => byKey.get(key.toLowerCase()) };
}
