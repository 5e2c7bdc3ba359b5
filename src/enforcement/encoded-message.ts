import { deflateRawSync, inflateRawSync } from "node:zlib";

/**
 * EC2's "Encoded authorization failure message": opaque to the caller, read with STS
 * DecodeAuthorizationMessage, which answers the JSON documented there (allowed, explicitDeny,
 * matchedStatements, failures, context with principal, action, resource and condition keys). AWS encrypts
 * it; localtrail deflates and base64url-encodes it behind a marker, so only what it wrote decodes.
 */
export interface DecodedAuthorization {
  allowed: boolean;
  explicitDeny: boolean;
  matchedStatements: { items: { statementId?: string; effect: string; principals?: unknown; actions?: unknown; resources?: unknown; conditions?: unknown }[] };
  failures: { items: unknown[] };
  context: {
    principal: { id: string; name?: string; arn: string };
    action: string;
    resource: string;
    conditions: { items: { key: string; values: { items: { value: string }[] } }[] };
  };
}

const MARKER = "LT1.";

export function encodeAuthorizationMessage(message: DecodedAuthorization): string {
  return MARKER + deflateRawSync(Buffer.from(JSON.stringify(message))).toString("base64url");
}

/** The JSON text DecodeAuthorizationMessage answers, or undefined when the message is not one of ours. */
export function decodeAuthorizationMessage(encoded: string): string | undefined {
  if (!encoded.startsWith(MARKER)) return undefined;
  try {
    const text = inflateRawSync(Buffer.from(encoded.slice(MARKER.length), "base64url")).toString("utf8");
    JSON.parse(text);
    return text;
  } catch {
    return undefined;
  }
}
