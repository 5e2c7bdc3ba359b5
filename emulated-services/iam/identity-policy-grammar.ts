import { malformedPolicyDocument } from "./errors.js";
import { conditionDatesOk, conditionSyntaxOk } from "./policy-conditions.js";
import { isObject, parseDocument, statementsOf } from "./policy-documents.js";
import { legacyResourceOk, resourceProblem } from "./policy-resources.js";

type Statement = Record<string, unknown>;

const TOP_LEVEL = new Set(["Version", "Id", "Statement", "Conditions"]);
const STATEMENT_KEYS = new Set(["Sid", "Action", "NotAction", "Resource", "NotResource", "Effect", "Principal", "NotPrincipal", "Condition"]);
const VERSIONS = new Set(["2008-10-17", "2012-10-17"]);

/**
 * Checks an identity policy (CreatePolicy, CreatePolicyVersion, Put*Policy) the way IAM does, in IAM's order,
 * raising the first of its MalformedPolicyDocument messages: syntax, version, the legacy parser, statement
 * ids, actions, resources, then action prefixes.
 */
export function validateIdentityPolicy(document: string): void {
  const policy = parseDocument(document);
  const statements = policy ? syntaxOk(policy) : undefined;
  if (!policy || !statements) throw malformedPolicyDocument("Syntax errors in policy.");
  if (statements.some((s) => s.Principal !== undefined || s.NotPrincipal !== undefined)) {
    throw malformedPolicyDocument("Policy document should not specify a principal.");
  }
  // Since 2012-10-17 policy variables exist; IAM no longer accepts the 2008 grammar (or none) for new documents.
  if (policy.Version !== "2012-10-17") throw malformedPolicyDocument("Policy document must be version 2012-10-17 or greater.");
  const resourceError = legacyParse(statements);
  checkStatementIds(statements);
  if (statements.some((s) => !nonEmpty(s.Action ?? s.NotAction))) throw malformedPolicyDocument("Policy statement must contain actions.");
  if (resourceError) throw malformedPolicyDocument(resourceError);
  if (statements.some((s) => !nonEmpty(s.Resource ?? s.NotResource))) throw malformedPolicyDocument("Policy statement must contain resources.");
  for (const key of ["Action", "NotAction"]) for (const s of statements) for (const action of list(s[key])) checkActionPrefix(action);
}

/** The statements when the document follows the policy grammar, else undefined. */
function syntaxOk(policy: Record<string, unknown>): Statement[] | undefined {
  if (Object.keys(policy).some((k) => !TOP_LEVEL.has(k))) return undefined;
  if (policy.Version !== undefined && !VERSIONS.has(policy.Version as string)) return undefined;
  if (policy.Id !== undefined && typeof policy.Id !== "string") return undefined;
  if (!isObject(policy.Statement) && !Array.isArray(policy.Statement)) return undefined;
  const statements = statementsOf(policy.Statement);
  if (statements.length === 0 || !statements.every(isObject)) return undefined;
  return statements.every(statementSyntaxOk) ? (statements as Statement[]) : undefined;
}

function statementSyntaxOk(s: Statement): boolean {
  if (Object.keys(s).some((k) => !STATEMENT_KEYS.has(k))) return false;
  if ((s.Resource !== undefined && s.NotResource !== undefined) || (s.Action !== undefined && s.NotAction !== undefined)) return false;
  if (typeof s.Effect !== "string" || !["allow", "deny"].includes(s.Effect.toLowerCase())) return false;
  for (const key of ["Action", "NotAction", "Resource", "NotResource"]) if (!stringOrStrings(s[key])) return false;
  if (s.Condition !== undefined && !conditionSyntaxOk(s.Condition)) return false;
  return s.Sid === undefined || typeof s.Sid === "string";
}

const stringOrStrings = (v: unknown) => v === undefined || typeof v === "string" || (Array.isArray(v) && v.every((x) => x === null || typeof x === "string"));
const nonEmpty = (v: unknown) => v !== undefined && (!Array.isArray(v) || v.length > 0);
const list = (v: unknown): string[] => ([] as unknown[]).concat(v ?? []).filter((x): x is string => typeof x === "string");

/**
 * IAM's legacy parser: Effect must be spelt exactly Allow or Deny, dates in conditions must parse, and ARNs
 * must have their parts. It also collects the last resource format problem, reported after the action checks.
 */
function legacyParse(statements: Statement[]): string | undefined {
  const failed = () => malformedPolicyDocument("The policy failed legacy parsing");
  for (const s of statements) {
    if (s.Effect !== "Allow" && s.Effect !== "Deny") throw failed();
    if (isObject(s.Condition) && !conditionDatesOk(s.Condition)) throw failed();
  }
  let problem: string | undefined;
  for (const key of ["Resource", "NotResource"]) {
    for (const s of statements) {
      const value = s[key];
      if (value === undefined) continue;
      // A list is judged from its last entry in reverse order; every problem found replaces the one before.
      const resources = typeof value === "string" ? [value] : list(value).filter((r) => r !== "").sort().reverse();
      for (const resource of resources) problem = resourceProblem(resource) ?? problem;
      if (problem === undefined && !resources.every((r) => legacyResourceOk(r, typeof value === "string"))) throw failed();
    }
  }
  return problem;
}

function checkStatementIds(statements: Statement[]): void {
  const sids = statements.map((s) => s.Sid).filter((sid): sid is string => typeof sid === "string" && sid !== "");
  if (new Set(sids).size !== sids.length) throw malformedPolicyDocument("Statement IDs (SID) in a single policy must be unique.");
  if (sids.some((sid) => !/^[0-9A-Za-z]*$/.test(sid))) {
    throw malformedPolicyDocument("Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*");
  }
}

function checkActionPrefix(action: string): void {
  const parts = action.split(":");
  if (parts.length === 1 && action !== "*") throw malformedPolicyDocument("Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.");
  if (parts.length > 2) throw malformedPolicyDocument("Actions/Condition can contain only one colon.");
  const vendor = parts[0]!;
  if (vendor !== "*" && /[^a-zA-Z0-9\-.]/.test(vendor)) throw malformedPolicyDocument(`Vendor ${vendor} is not valid`);
}
