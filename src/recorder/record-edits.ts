/** Small edits audit overrides make to a shaped record object, where AWS's record leaves a member out. */

/** A copy of `shaped` without `object.member` (CloudTrail never writes a new secret, not even redacted). */
export function withoutMember(shaped: Record<string, unknown> | null, object: string, member: string): Record<string, unknown> | null {
  if (!shaped) return shaped;
  const inner = shaped[object];
  if (!inner || typeof inner !== "object") return shaped;
  const { [member]: _dropped, ...rest } = inner as Record<string, unknown>;
  return { ...shaped, [object]: rest };
}
