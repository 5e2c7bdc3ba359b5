import { limitExceeded, malformedPolicyDocument } from "./errors.js";
import { isObject, parseDocument, policySize, statementsOf } from "./policy-documents.js";

const PRINCIPAL_KEYS = new Set(["AWS", "Service", "Federated", "CanonicalUser"]);
const VERSIONS = new Set(["2008-10-17", "2012-10-17"]);

/**
 * Checks a role's trust policy (CreateRole, UpdateAssumeRolePolicy) as IAM's trust-policy parser does, with
 * its messages, which differ from those of identity policies ("This policy contains invalid Json", "Has
 * prohibited field Resource"). The trust policy of a role holds at most 2048 characters (ACLSizePerRole).
 */
export function validateTrustPolicy(document: string): void {
  const policy = parseDocument(document);
  if (!policy) throw malformedPolicyDocument("This policy contains invalid Json");
  if (policy.Version !== undefined && !VERSIONS.has(policy.Version as string)) throw malformedPolicyDocument("The policy must contain a valid version string");
  const statements = statementsOf(policy.Statement);
  if (statements.length === 0) throw malformedPolicyDocument("Could not parse the policy: Statement is empty!");
  const sids = new Set<string>();
  for (const statement of statements) {
    if (!isObject(statement)) throw malformedPolicyDocument("Syntax error in policy.");
    checkStatement(statement);
    if (typeof statement.Sid === "string" && statement.Sid !== "") {
      if (sids.has(statement.Sid)) throw malformedPolicyDocument("The Statement Ids in the policy are not unique");
      sids.add(statement.Sid);
    }
  }
  if (policySize(document) > 2048) throw limitExceeded("Cannot exceed quota for ACLSizePerRole: 2048");
}

function checkStatement(s: Record<string, unknown>): void {
  if (s.Effect === undefined) throw malformedPolicyDocument("Missing required field Effect");
  if (s.Effect !== "Allow" && s.Effect !== "Deny") throw malformedPolicyDocument(`Invalid effect: ${String(s.Effect)}`);
  if (s.NotPrincipal !== undefined) {
    throw malformedPolicyDocument(s.Effect === "Allow" ? "Allow with NotPrincipal is not allowed." : "AssumeRole policy must not contain NotPrincipal field.");
  }
  checkPrincipal(s.Principal);
  const actions = s.Action ?? s.NotAction;
  if (actions === undefined || (Array.isArray(actions) && actions.length === 0)) throw malformedPolicyDocument("Missing required field Action");
  // Only STS actions (sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:TagSession, ...) belong in a trust policy.
  for (const action of ([] as unknown[]).concat(actions)) {
    if (typeof action !== "string" || !action.startsWith("sts:")) throw malformedPolicyDocument("AssumeRole policy may only specify STS AssumeRole actions.");
  }
  if (s.Resource !== undefined) throw malformedPolicyDocument("Has prohibited field Resource");
  if (s.NotResource !== undefined) throw malformedPolicyDocument("AssumeRole policy must not contain resources.");
}

function checkPrincipal(principal: unknown): void {
  if (principal === undefined) throw malformedPolicyDocument("Missing required field Principal");
  if (principal === "*") return;
  if (!isObject(principal)) throw malformedPolicyDocument("Principal must be a JSON object.");
  const keys = Object.keys(principal);
  if (keys.length === 0) throw malformedPolicyDocument("Missing required field Principal cannot be empty!");
  for (const key of keys) if (!PRINCIPAL_KEYS.has(key)) throw malformedPolicyDocument(`Invalid principal in policy: "${key}"`);
}
