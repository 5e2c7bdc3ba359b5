import type { Op } from "./op.js";
import { invalidParameter } from "./errors.js";
import { findFunction, functionRef } from "./names.js";
import { lambdaState } from "./state.js";

/**
 * Per-function settings Terraform's aws_lambda_function reads and writes beside the configuration:
 * reserved concurrency, the code signing config (none: localtrail signs nothing) and recursive loop
 * detection (Terminate by default). A function's settings are the unqualified function's.
 */

/** Lambda keeps at least 100 of an account's 1,000 concurrent executions unreserved (Lambda quotas). */
const ACCOUNT_CONCURRENCY = 1000;
const MINIMUM_UNRESERVED = 100;

export const putFunctionConcurrency: Op<"PutFunctionConcurrency"> = (input, ctx) => {
  const fn = findFunction(ctx, functionRef(ctx, input.FunctionName, undefined, "lambda:PutFunctionConcurrency"));
  const reservedElsewhere = Object.values(lambdaState(ctx).functions)
    .filter((other) => other !== fn)
    .reduce((sum, other) => sum + (other.reservedConcurrency ?? 0), 0);
  if (ACCOUNT_CONCURRENCY - reservedElsewhere - input.ReservedConcurrentExecutions < MINIMUM_UNRESERVED) {
    throw invalidParameter(`Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MINIMUM_UNRESERVED}].`);
  }
  fn.reservedConcurrency = input.ReservedConcurrentExecutions;
  return { ReservedConcurrentExecutions: input.ReservedConcurrentExecutions };
};

export const getFunctionConcurrency: Op<"GetFunctionConcurrency"> = (input, ctx) => {
  const fn = findFunction(ctx, functionRef(ctx, input.FunctionName, undefined, "lambda:GetFunctionConcurrency"));
  return { ReservedConcurrentExecutions: fn.reservedConcurrency };
};

export const deleteFunctionConcurrency: Op<"DeleteFunctionConcurrency"> = (input, ctx) => {
  const fn = findFunction(ctx, functionRef(ctx, input.FunctionName, undefined, "lambda:DeleteFunctionConcurrency"));
  delete fn.reservedConcurrency;
};

/** A function without a code signing config answers its name and no CodeSigningConfigArn. */
export const getFunctionCodeSigningConfig: Op<"GetFunctionCodeSigningConfig"> = (input, ctx) => {
  const fn = findFunction(ctx, functionRef(ctx, input.FunctionName, undefined, "lambda:GetFunctionCodeSigningConfig"));
  return { FunctionName: fn.name, CodeSigningConfigArn: "" };
};

export const getFunctionRecursionConfig: Op<"GetFunctionRecursionConfig"> = (input, ctx) => {
  findFunction(ctx, functionRef(ctx, input.FunctionName, undefined, "lambda:GetFunctionRecursionConfig"));
  return { RecursiveLoop: "Terminate" };
};
