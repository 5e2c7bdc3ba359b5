import type { AddPermissionRequest } from "../../src/generated/types/lambda.js";
import type { CallContext } from "../../src/types/service.js";
import { AwsError } from "../../src/types/aws-error.js";
import { functionNotFound, resourceConflict, resourceNotFound } from "./errors.js";
import { findFunction, functionRef, LATEST, type FunctionRef } from "./names.js";
import type { Op } from "./op.js";
import { checkRevision } from "./revisions.js";
import { getOwn, type PolicyStatement } from "./state.js";

const POLICY_LIMIT = 20_480;

/** A function's resource policy is kept per qualifier: the unqualified function ($LATEST), a version, an alias. */
interface PolicyHolder {
  policy: PolicyStatement[];
  revisionId: string;
}

export const addPermission: Op<"AddPermission"> = (input, ctx) => {
  const ref = functionRef(ctx, input.FunctionName, input.Qualifier, "lambda:AddPermission");
  const holder = policyHolder(ctx, ref);
  checkRevision(holder, input.RevisionId);
  if (holder.policy.some((s) => s.Sid === input.StatementId)) {
    throw resourceConflict(`The statement id (${input.StatementId}) provided already exists. Please provide a new statement id, or remove the existing statement.`);
  }
  const statement = buildStatement(input, qualifiedArn(ref));
  const size = Buffer.byteLength(policyDocument([...holder.policy, statement]));
  if (size > POLICY_LIMIT) throw new AwsError("PolicyLengthExceededException", `The final policy size (${size}) is bigger than the limit (${POLICY_LIMIT}).`);
  holder.policy.push(statement);
  holder.revisionId = ctx.env.ids.uuid();
  return { Statement: JSON.stringify(statement) };
};

export const getPolicy: Op<"GetPolicy"> = (input, ctx) => {
  const holder = policyHolder(ctx, functionRef(ctx, input.FunctionName, input.Qualifier, "lambda:GetPolicy"));
  if (holder.policy.length === 0) throw resourceNotFound("The resource you requested does not exist.");
  return { Policy: policyDocument(holder.policy), RevisionId: holder.revisionId };
};

export const removePermission: Op<"RemovePermission"> = (input, ctx) => {
  const holder = policyHolder(ctx, functionRef(ctx, input.FunctionName, input.Qualifier, "lambda:RemovePermission"));
  checkRevision(holder, input.RevisionId);
  if (holder.policy.length === 0) throw resourceNotFound("No policy is associated with the given resource.");
  const index = holder.policy.findIndex((s) => s.Sid === input.StatementId);
  if (index === -1) throw resourceNotFound(`Statement ${input.StatementId} is not found in resource policy.`);
  holder.policy.splice(index, 1);
  holder.revisionId = ctx.env.ids.uuid();
};

function policyHolder(ctx: CallContext, ref: FunctionRef): PolicyHolder {
  const fn = findFunction(ctx, ref);
  const q = ref.qualifier;
  const holder = q === undefined || q === LATEST ? fn.latest : /^\d+$/.test(q) ? getOwn(fn.versions, q) : getOwn(fn.aliases, q);
  if (!holder) throw functionNotFound(`${ref.arn}:${q}`);
  return holder;
}

const qualifiedArn = (ref: FunctionRef) => (ref.qualifier && ref.qualifier !== LATEST ? `${ref.arn}:${ref.qualifier}` : ref.arn);

const policyDocument = (statements: PolicyStatement[]) => JSON.stringify({ Version: "2012-10-17", Id: "default", Statement: statements });

/**
 * The statement AWS writes for AddPermission: an account id becomes its root ARN, a service name a Service
 * principal; SourceAccount, SourceArn and the other parameters become conditions
 * (https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html).
 */
function buildStatement(input: AddPermissionRequest, resource: string): PolicyStatement {
  const p = input.Principal;
  const principal: PolicyStatement["Principal"] = p === "*" ? "*" : /^\d{12}$/.test(p) ? { AWS: `arn:aws:iam::${p}:root` } : p.startsWith("arn:") ? { AWS: p } : { Service: p };
  const equals: Record<string, string> = {};
  if (input.SourceAccount !== undefined) equals["AWS:SourceAccount"] = input.SourceAccount;
  if (input.PrincipalOrgID !== undefined) equals["aws:PrincipalOrgID"] = input.PrincipalOrgID;
  if (input.EventSourceToken !== undefined) equals["lambda:EventSourceToken"] = input.EventSourceToken;
  if (input.FunctionUrlAuthType !== undefined) equals["lambda:FunctionUrlAuthType"] = input.FunctionUrlAuthType;
  const condition: Record<string, Record<string, string>> = {};
  if (Object.keys(equals).length > 0) condition.StringEquals = equals;
  if (input.SourceArn !== undefined) condition.ArnLike = { "AWS:SourceArn": input.SourceArn };
  if (input.InvokedViaFunctionUrl !== undefined) condition.Bool = { "lambda:InvokedViaFunctionUrl": String(input.InvokedViaFunctionUrl) };
  const statement: PolicyStatement = { Sid: input.StatementId, Effect: "Allow", Principal: principal, Action: input.Action, Resource: resource };
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  return statement;
}
