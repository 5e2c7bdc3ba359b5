/**
 * Policy documents on IAM's wire. IAM keeps a document exactly as it was sent and returns it URL-encoded
 * "compliant with RFC 3986" (GetRole's AssumeRolePolicyDocument, GetPolicyVersion's Document, Get*Policy's
 * PolicyDocument): every character but A-Z a-z 0-9 - . _ ~ is percent-encoded, a space as %20, `*` as %2A.
 * botocore decodes them back (handlers.json_decode_policies); SDK v3 hands the encoded string to the caller.
 */
export function encodePolicyDocument(document: string): string {
  return encodeURIComponent(document).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}

/** How IAM measures a policy against its size quotas: characters other than whitespace. */
export const policySize = (document: string) => document.replace(/\s/g, "").length;

/** A parsed policy document's statements, whether Statement holds one object or a list. */
export function statementsOf(statement: unknown): unknown[] {
  if (Array.isArray(statement)) return statement;
  return statement === undefined ? [] : [statement];
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Parses a document as IAM does: anything but a JSON object is not a policy. */
export function parseDocument(document: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(document);
    return isObject(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
