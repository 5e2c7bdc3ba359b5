import { callerArn, type Caller } from "../../src/types/caller.js";

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Principal?: string | Record<string, string | string[]>;
}

/**
 * Whether a role's trust policy lets `principal` assume it: an Allow statement for sts:AssumeRole whose
 * Principal names the caller (its ARN, its role, its account, or `*`), and no Deny that does. Condition
 * blocks are not evaluated.
 */
export function trustPolicyAllows(document: string, principal: { caller: Caller } | { service: string }): boolean {
  let statements: Statement[];
  try {
    const parsed = JSON.parse(document) as { Statement?: Statement | Statement[] };
    statements = parsed.Statement === undefined ? [] : ([] as Statement[]).concat(parsed.Statement);
  } catch {
    return false;
  }
  const matching = statements.filter((s) => actionMatches(s.Action) && principalMatches(s.Principal, principal));
  return matching.some((s) => s.Effect === "Allow") && !matching.some((s) => s.Effect === "Deny");
}

function actionMatches(action: Statement["Action"]): boolean {
  return ([] as string[]).concat(action ?? []).some((a) => a === "*" || a === "sts:*" || a.toLowerCase() === "sts:assumerole");
}

function principalMatches(principal: Statement["Principal"], who: { caller: Caller } | { service: string }): boolean {
  if (principal === "*") return true;
  if (!principal || typeof principal !== "object") return false;
  if ("service" in who) return ([] as string[]).concat(principal.Service ?? []).includes(who.service);
  const caller = who.caller;
  const names = new Set([caller.accountId, `arn:aws:iam::${caller.accountId}:root`, callerArn(caller)]);
  if (caller.type === "AssumedRole") names.add(caller.roleArn);
  return ([] as string[]).concat(principal.AWS ?? []).some((p) => p === "*" || names.has(p));
}
