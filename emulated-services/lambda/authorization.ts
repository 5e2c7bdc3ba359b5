import type { ArnContext, AuthorizationSource, ServiceAuthorization } from "../../src/types/authorization.js";
import type { StateView } from "../../src/state/store.js";
import { functionArn, LATEST } from "./names.js";
import { getOwn, type LambdaState } from "./state.js";

/**
 * How Lambda's calls are authorized (reference/iam-enforcement.md §3.2, Lambda Developer Guide "Lambda API
 * permissions"): the function's ARN from a name, partial ARN or ARN (with its qualifier when one is given);
 * Invoke is lambda:InvokeFunction; CreateFunction and a role change also pass the execution role
 * (iam:PassRole, iam:PassedToService lambda.amazonaws.com). A denied Invoke is not recorded, as CloudTrail
 * does not log unauthorized invocations. The function policy is the function's resource-based policy.
 */
type Input = Record<string, unknown>;

/** The function ARN a FunctionName (or a tagging call's Resource) names, qualified when a qualifier is given. */
function functionOf(input: Input, ctx: ArnContext): string[] | undefined {
  const value = typeof input.FunctionName === "string" ? input.FunctionName : typeof input.Resource === "string" ? input.Resource : undefined;
  if (value === undefined) return undefined;
  const parts = value.split(":");
  let [region, account, name, qualifier] = [ctx.region, ctx.accountId, parts[0]!, parts[1]];
  if (parts[0] === "arn" && parts.length >= 7) [region, account, name, qualifier] = [parts[3]!, parts[4]!, parts[6]!, parts[7]];
  else if (parts.length >= 3 && /^\d{12}$/.test(parts[0]!)) [account, name, qualifier] = [parts[0]!, parts[2]!, parts[3]];
  qualifier ??= typeof input.Qualifier === "string" ? input.Qualifier : undefined;
  return [functionArn(region, account, name, qualifier === LATEST ? undefined : qualifier)];
}

const roleNameWithPath = (input: Input) => (typeof input.Role === "string" ? /:role\/(.+)$/.exec(input.Role)?.[1] : undefined);
const passRole = { action: "iam:PassRole", variables: { RoleNameWithPath: roleNameWithPath }, conditionKeys: { "iam:PassedToService": "lambda.amazonaws.com" } };

export const lambdaAuthorization: ServiceAuthorization = {
  prefix: "lambda",
  variables: {},
  resolvers: { function: functionOf },
  operations: {
    Invoke: [{ action: "lambda:InvokeFunction" }],
    CreateFunction: [{ action: "lambda:CreateFunction" }, passRole],
    UpdateFunctionConfiguration: [{ action: "lambda:UpdateFunctionConfiguration" }, { ...passRole, when: "Role" }],
  },
  conditionKeys: { "lambda:Principal": "Principal", "lambda:FunctionUrlAuthType": "FunctionUrlAuthType" },
  requestTags: ["Tags"],
  unrecordedWhenDenied: ["Invoke"],
  denial: { code: "AccessDeniedException", status: 403, recordedCode: "AccessDenied", noResource: "star", withoutRequestParameters: true },
  source: lambdaAuthorizationSource,
};

/** A function ARN (qualified or not): its resource policy for that qualifier, and the function's tags. */
function lambdaAuthorizationSource(state: StateView): AuthorizationSource {
  return {
    resource(arn) {
      const m = /^arn:aws:lambda:([^:]+):(\d{12}):function:([^:]+)(?::(.+))?$/.exec(arn);
      if (!m) return undefined;
      const fn = getOwn(state.get<LambdaState>("lambda", m[2]!, m[1]!, () => ({ functions: {} })).functions, m[3]!);
      if (!fn) return undefined;
      const q = m[4];
      const holder = q === undefined || q === LATEST ? fn.latest : /^\d+$/.test(q) ? getOwn(fn.versions, q) : getOwn(fn.aliases, q);
      const statements = holder?.policy ?? [];
      return {
        policyKind: "function",
        policy: statements.length > 0 ? { document: JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statements }), name: `the resource-based policy of ${arn}` } : undefined,
        tags: fn.tags,
      };
    },
  };
}
