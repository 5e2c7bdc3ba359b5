import { compileCondition, type ConditionTest } from "./conditions.js";
import { compilePrincipal, type PrincipalSpec } from "./principals.js";

/**
 * A policy document read once into statements that evaluation walks without parsing (IAM User Guide, "IAM
 * JSON policy element reference"). Documents reaching here were accepted by the service that stores them;
 * a part that still cannot be read makes its statement match nothing.
 */
export interface CompiledPolicy {
  /** Policy variables are expanded only under 2012-10-17; under 2008-10-17 (or none) `${...}` is text. */
  variables: boolean;
  statements: CompiledStatement[];
}

export interface CompiledStatement {
  /** Position in the document's Statement list, from 0. */
  index: number;
  sid?: string;
  effect: "Allow" | "Deny";
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  conditions: ConditionTest[];
  /** False when a part could not be read: the statement then matches nothing. */
  usable: boolean;
  /** Whether Action/NotAction covers an action, remembered per action: a principal asks about few. */
  actionVerdicts: Map<string, boolean>;
  /** Whether Resource/NotResource covers a resource, remembered when no policy variable is involved. */
  resourceVerdicts: Map<string, boolean>;
}

const compiled = new Map<string, CompiledPolicy>();
const MAX_CACHED = 5_000;

/**
 * The compiled form of a document, cached by its text: a principal's policies are read on every call, and
 * the same text always compiles to the same statements, so a changed policy is simply a new entry.
 */
export function compilePolicy(document: string): CompiledPolicy {
  let policy = compiled.get(document);
  if (!policy) {
    policy = parse(document);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(document, policy);
  }
  return policy;
}

function parse(document: string): CompiledPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(document);
  } catch {
    return { variables: false, statements: [] };
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return { variables: false, statements: [] };
  const { Version, Statement } = doc as { Version?: unknown; Statement?: unknown };
  const list = Statement === undefined ? [] : ([] as unknown[]).concat(Statement);
  return { variables: Version === "2012-10-17", statements: list.map((s, i) => compileStatement(s, i)) };
}

function compileStatement(value: unknown, index: number): CompiledStatement {
  const s = (value && typeof value === "object" && !Array.isArray(value) ? value : {}) as Record<string, unknown>;
  const strings = (v: unknown) => (v === undefined ? undefined : ([] as unknown[]).concat(v).filter((x): x is string => typeof x === "string"));
  const conditions = s.Condition === undefined ? [] : compileCondition(s.Condition);
  const principal = s.Principal === undefined ? undefined : compilePrincipal(s.Principal);
  const notPrincipal = s.NotPrincipal === undefined ? undefined : compilePrincipal(s.NotPrincipal);
  const statement: CompiledStatement = {
    index,
    sid: typeof s.Sid === "string" ? s.Sid : undefined,
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    notResources: strings(s.NotResource),
    principal,
    notPrincipal,
    conditions: conditions ?? [],
    usable:
      (s.Effect === "Allow" || s.Effect === "Deny") &&
      (s.Action === undefined) !== (s.NotAction === undefined) &&
      conditions !== undefined &&
      (s.Principal === undefined || principal !== undefined) &&
      (s.NotPrincipal === undefined || notPrincipal !== undefined),
    actionVerdicts: new Map(),
    resourceVerdicts: new Map(),
  };
  return statement;
}
