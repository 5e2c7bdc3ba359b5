import { malformedPolicy, notFound } from "./errors.js";
import { touchKey } from "./audit.js";
import { findOwnKey } from "./keys-access.js";
import type { Op } from "./op.js";

/**
 * The key policy KMS attaches when CreateKey gives none ("default key policy" for keys created through the
 * API), in the pretty-printed form GetKeyPolicy returns it.
 */
export function defaultKeyPolicy(accountId: string): string {
  return [
    "{",
    '  "Version" : "2012-10-17",',
    '  "Id" : "key-default-1",',
    '  "Statement" : [ {',
    '    "Sid" : "Enable IAM User Permissions",',
    '    "Effect" : "Allow",',
    '    "Principal" : {',
    `      "AWS" : "arn:aws:iam::${accountId}:root"`,
    "    },",
    '    "Action" : "kms:*",',
    '    "Resource" : "*"',
    "  } ]",
    "}",
  ].join("\n");
}

/** A key policy must be a JSON object with a Statement (MalformedPolicyDocumentException otherwise). */
export function checkPolicy(policy: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    throw malformedPolicy("The new key policy will not allow you to update the key policy in the future.");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed) || !("Statement" in parsed)) {
    throw malformedPolicy("The new key policy will not allow you to update the key policy in the future.");
  }
}

// Every KMS key has exactly one key policy, named "default".
function checkPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== "default") throw notFound("No such policy exists");
}

export const getKeyPolicy: Op<"GetKeyPolicy"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  checkPolicyName(input.PolicyName);
  return { Policy: key.policy, PolicyName: "default" };
};

export const putKeyPolicy: Op<"PutKeyPolicy"> = (input, ctx) => {
  const key = findOwnKey(ctx, input.KeyId, false);
  touchKey(input, key);
  checkPolicyName(input.PolicyName);
  checkPolicy(input.Policy);
  key.policy = input.Policy;
};
