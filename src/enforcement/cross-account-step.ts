import type { Step } from "../types/step.js";
import type { Authorizer } from "./authorizer.js";

/**
 * The pipeline step that stands in for enforcement when --enforce-iam is off: a call reaching another
 * account's resource is served only when that resource's policy lets the caller in (a bucket policy, a key
 * policy), as AWS always decides. The handler refuses with its own error (S3 AccessDenied) when it does not.
 */
export function crossAccountAccess(authorizer: Authorizer): Step {
  return async function crossAccountAccess(call, next) {
    const result = authorizer.authorizeCrossAccount(call);
    if (result) call.authorized = result.allowed;
    await next();
  };
}
