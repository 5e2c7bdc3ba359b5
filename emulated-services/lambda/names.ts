import type { CallContext } from "../../src/types/service.js";
import { callerArn } from "../../src/types/caller.js";
import { accessDenied, functionNotFound, invalidParameter } from "./errors.js";
import { getOwn, lambdaState, type StoredAlias, type StoredFunction, type StoredVersion } from "./state.js";

export const LATEST = "$LATEST";

export const functionArn = (region: string, accountId: string, name: string, qualifier?: string) =>
  `arn:aws:lambda:${region}:${accountId}:function:${name}${qualifier ? `:${qualifier}` : ""}`;

/** A function named by a client: a name, a partial ARN or an ARN, each with an optional `:qualifier`. */
export interface FunctionRef {
  name: string;
  qualifier?: string;
  /** The unqualified ARN, in the caller's account and the called region. */
  arn: string;
}

/**
 * Reads FunctionName in each form AWS accepts (`f`, `f:prod`, `123456789012:function:f`,
 * `arn:aws:lambda:us-east-1:123456789012:function:f:1`) and the Qualifier parameter. `action` names the
 * permission AWS would check (`lambda:GetFunction`) for the message refusing another account's function.
 */
export function functionRef(ctx: CallContext, functionName: string, qualifier: string | undefined, action: string): FunctionRef {
  const parts = functionName.split(":");
  let name: string;
  let derived: string | undefined;
  let accountId = ctx.accountId;
  let region = ctx.region;
  if (parts[0] === "arn" && parts.length >= 7 && parts[5] === "function") {
    [region, accountId, name, derived] = [parts[3]!, parts[4]!, parts[6]!, parts[7]];
  } else if (parts.length >= 3 && /^\d{12}$/.test(parts[0]!) && parts[1] === "function") {
    [accountId, name, derived] = [parts[0]!, parts[2]!, parts[3]];
  } else {
    [name, derived] = [parts[0]!, parts[1]];
  }
  if (derived !== undefined && qualifier !== undefined && derived !== qualifier) {
    throw invalidParameter("The derived qualifier from the function name does not match the specified qualifier.");
  }
  if (region !== ctx.region) throw invalidParameter(`Functions from '${region}' are not reachable in this region ('${ctx.region}')`);
  const arn = functionArn(region, accountId, name);
  // Another account's function is reachable only through its resource policy, which localtrail does not evaluate.
  if (accountId !== ctx.accountId) {
    throw accessDenied(`User: ${callerArn(ctx.caller)} is not authorized to perform: ${action} on resource: ${arn}${derived ? `:${derived}` : ""}`);
  }
  return { name, qualifier: derived ?? qualifier, arn };
}

/** The function a reference names, or AWS's ResourceNotFoundException naming the ARN asked for. */
export function findFunction(ctx: CallContext, ref: FunctionRef): StoredFunction {
  const fn = getOwn(lambdaState(ctx).functions, ref.name);
  if (!fn) throw functionNotFound(ref.qualifier ? `${ref.arn}:${ref.qualifier}` : ref.arn);
  return fn;
}

/** What a qualifier resolves to: $LATEST (none given), a published version, or an alias and its version. */
export interface Resolved {
  config: StoredVersion;
  alias?: StoredAlias;
}

export function resolveQualifier(fn: StoredFunction, ref: FunctionRef): Resolved {
  const q = ref.qualifier;
  if (q === undefined || q === LATEST) return { config: fn.latest };
  const notFound = () => functionNotFound(`${ref.arn}:${q}`);
  if (/^\d+$/.test(q)) {
    const config = getOwn(fn.versions, q);
    if (!config) throw notFound();
    return { config };
  }
  const alias = getOwn(fn.aliases, q);
  if (!alias) throw notFound();
  const config = alias.functionVersion === LATEST ? fn.latest : getOwn(fn.versions, alias.functionVersion);
  if (!config) throw notFound();
  return { config, alias };
}
