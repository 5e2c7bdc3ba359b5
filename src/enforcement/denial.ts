import { AwsError } from "../types/aws-error.js";
import type { DenialStyle } from "../types/authorization.js";
import type { Decision, DenialLayer } from "./evaluate.js";

/**
 * The text of a refusal, in AWS's grammar (reference/iam-enforcement.md §4.1):
 *   User: <arn> is not authorized to perform: <action>[ on resource: <resource>] because no <type> allows the <action> action
 *   User: <arn> is not authorized to perform: <action>[ on resource: <resource>] with an explicit deny in <a|an|the> <type>[: <policy ARN>]
 * The denying managed policy's ARN ends an explicit-deny message, as AWS writes since 2026 for same-account
 * requests. A trust-policy refusal is the bare first sentence, as STS answers AssumeRole.
 */
const IMPLICIT: Record<Exclude<DenialLayer, "root">, string> = {
  identity: "identity-based policy",
  resource: "resource-based policy",
  boundary: "permissions boundary",
  session: "session policy",
  trust: "role trust policy",
};
const EXPLICIT: Record<Exclude<DenialLayer, "root">, string> = {
  identity: "an identity-based policy",
  resource: "a resource-based policy",
  boundary: "a permissions boundary",
  session: "a session policy",
  trust: "the role trust policy",
};

export interface Refusal {
  principalArn: string;
  action: string;
  resource: string;
  decision: Decision;
  /** EC2's encoded message, when the operation carries one. */
  encoded?: string;
}

export function denialMessage(style: DenialStyle, r: Refusal): string {
  const d = r.decision;
  if (d.layer === "root") return "Roles may not be assumed by root accounts.";
  if (d.crossAccount && style.crossAccountMessage) return style.crossAccountMessage;
  const on = r.resource === "*" ? (style.noResource === "omit" ? "" : " on resource: *") : ` on resource: ${style.quoteResource ? `"${r.resource}"` : r.resource}`;
  const head = `User: ${r.principalArn} is not authorized to perform: ${r.action}${on}`;
  const layer = d.layer ?? "identity";
  let text: string;
  if (d.explicit) {
    const arn = d.hit?.ref.arn && !d.crossAccount ? `: ${d.hit.ref.arn}` : "";
    text = `${head} with an explicit deny in ${EXPLICIT[layer]}${arn}`;
  } else if (layer === "trust") {
    text = head;
  } else {
    text = `${head} because no ${IMPLICIT[layer]} allows the ${r.action} action`;
  }
  if (style.preamble) text = `${style.preamble}${text}`;
  if (r.encoded !== undefined) text += `. Encoded authorization failure message: ${r.encoded}`;
  return text;
}

export function denialError(style: DenialStyle, r: Refusal): AwsError {
  return new AwsError(style.code, denialMessage(style, r), { status: style.status, recordedCode: style.recordedCode, unauthorized: style.withoutRequestParameters });
}
