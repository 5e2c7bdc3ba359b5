/**
 * Whether a resource policy (an S3 bucket policy, a KMS key policy) lets an AWS service principal perform
 * an action on a resource: an Allow statement naming the service (or `*`) whose Action and Resource
 * patterns match (`*` and `?` wildcards, actions case-insensitive), and no unconditional Deny that
 * matches. Conditions are evaluated for the keys the service sends (`context`, e.g. aws:SourceArn);
 * conditions on other keys are tolerated, as CloudTrail's own check tolerates them. Pure.
 */
interface Statement {
  Effect?: string;
  Principal?: string | Record<string, string | string[]>;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  NotPrincipal?: unknown;
  NotAction?: unknown;
  NotResource?: unknown;
}

export function serviceAllowed(policy: string | undefined, request: { service: string; action: string; resource: string; context?: Record<string, string> }): boolean {
  const statements = parseStatements(policy);
  const applies = (s: Statement) =>
    s.NotPrincipal === undefined &&
    s.NotAction === undefined &&
    s.NotResource === undefined &&
    principalMatches(s.Principal, request.service) &&
    list(s.Action).some((a) => wildcard(a, request.action, true)) &&
    (s.Resource === undefined || list(s.Resource).some((r) => wildcard(r, request.resource, false)));
  const allowed = statements.some((s) => s.Effect === "Allow" && applies(s) && conditionsHold(s.Condition, request.context ?? {}));
  const denied = statements.some((s) => s.Effect === "Deny" && s.Condition === undefined && applies(s));
  return allowed && !denied;
}

function parseStatements(policy: string | undefined): Statement[] {
  if (!policy) return [];
  try {
    const parsed = JSON.parse(policy) as { Statement?: Statement | Statement[] };
    return parsed.Statement === undefined ? [] : ([] as Statement[]).concat(parsed.Statement);
  } catch {
    return [];
  }
}

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : ([] as string[]).concat(v));

function principalMatches(principal: Statement["Principal"], service: string): boolean {
  if (principal === "*") return true;
  if (!principal || typeof principal !== "object") return false;
  return list(principal.Service).includes(service) || list(principal.AWS).includes("*");
}

/** IAM wildcards: `*` any run of characters, `?` one character. */
function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern.split("").map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("");
  return new RegExp(`^${source}$`, ignoreCase ? "is" : "s").test(value);
}

// String and ARN operators CloudTrail's checks meet in practice; IfExists variants pass when the key is absent.
function conditionsHold(condition: Statement["Condition"], context: Record<string, string>): boolean {
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    const base = operator.replace(/IfExists$/, "");
    for (const [rawKey, expected] of Object.entries(entries)) {
      const key = Object.keys(context).find((k) => k.toLowerCase() === rawKey.toLowerCase());
      if (key === undefined) continue;
      const actual = context[key]!;
      const values = list(expected);
      const ok =
        base === "StringEquals" || base === "ArnEquals"
          ? values.includes(actual)
          : base === "StringEqualsIgnoreCase"
            ? values.some((v) => v.toLowerCase() === actual.toLowerCase())
            : base === "StringLike" || base === "ArnLike"
              ? values.some((v) => wildcard(v, actual, false))
              : base === "StringNotEquals" || base === "ArnNotEquals"
                ? !values.includes(actual)
                : base === "StringNotLike" || base === "ArnNotLike"
                  ? !values.some((v) => wildcard(v, actual, false))
                  : true;
      if (!ok) return false;
    }
  }
  return true;
}
