import type { AuditFacts } from "../types/service.js";

const READ_VERBS = /^(Get|List|Describe|Head|Lookup|Search|BatchGet|Select)/;

/**
 * Whether an operation only reads (the record's readOnly): the operation's audit fact, else its verb
 * (reference/cloudtrail.md §3.2; exceptions such as STS GetSessionToken set the fact).
 */
export function isReadOnly(operationName: string, audit: AuditFacts<unknown, unknown> | undefined): boolean {
  return audit?.readOnly ?? READ_VERBS.test(operationName);
}
