/**
 * The tags a request sets, whatever shape the service gives them (aws:RequestTag/<key>, aws:TagKeys): IAM's
 * and EC2's `[{Key, Value}]`, KMS's `[{TagKey, TagValue}]`, Lambda's and Logs' maps, S3's `k=v&k2=v2`
 * header, and EC2's TagSpecifications (`[{ResourceType, Tags: [...]}]`).
 */
export function requestTags(members: readonly string[], input: Record<string, unknown>): Map<string, string> | undefined {
  let tags: Map<string, string> | undefined;
  const add = (key: unknown, value: unknown) => {
    if (typeof key !== "string") return;
    tags ??= new Map();
    tags.set(key, typeof value === "string" ? value : "");
  };
  const read = (value: unknown, depth: number): void => {
    if (value === undefined || value === null || depth > 2) return;
    if (typeof value === "string") {
      for (const pair of new URLSearchParams(value)) add(pair[0], pair[1]);
    } else if (Array.isArray(value)) {
      for (const item of value) {
        if (!item || typeof item !== "object") continue;
        const t = item as Record<string, unknown>;
        if ("Tags" in t) read(t.Tags, depth + 1);
        else if ("TagKey" in t) add(t.TagKey, t.TagValue);
        else add(t.Key, t.Value);
      }
    } else if (typeof value === "object") {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(k, v);
    }
  };
  for (const member of members) read(input[member], 0);
  return tags;
}
