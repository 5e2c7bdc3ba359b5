import { timingSafeEqual } from "node:crypto";
import type { RawRequest } from "../types/request-context.js";
import type { AuthScheme } from "./auth-scheme.js";
import { payloadHashOf, signature, signingKey } from "./sigv4-signing.js";
import { queryParams } from "../gateway/query-params.js";

/** A SigV4 signature as the client presented it, in the Authorization header or a presigned query. */
export interface SigV4Claim {
  kind: "header" | "query";
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
  /** X-Amz-Date: 20261124T131905Z. */
  amzDate: string;
  /** Presigned URLs only: seconds the URL is valid for. */
  expires?: number;
  securityToken?: string;
}

export type ParseResult = { claim: SigV4Claim } | { malformed: string } | undefined;

const HEADER = /^AWS4-HMAC-SHA256\s+Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]{64})\s*$/;
const AMZ_DATE = /^\d{8}T\d{6}Z$/;

/** A SigV4 Authorization header, split once per call: routing reads its scope, authentication the rest. */
export interface SigV4Header {
  /** Credential=..., also from a header that is otherwise malformed (routing still names the service). */
  credential?: string;
  /** Credential, SignedHeaders and Signature, when the header is well formed. */
  parts?: RegExpExecArray;
}

const headers = new WeakMap<RawRequest, SigV4Header | null>();

export function sigV4Header(raw: RawRequest): SigV4Header | undefined {
  let parsed = headers.get(raw);
  if (parsed === undefined) {
    const authorization = raw.headers["authorization"];
    if (authorization === undefined || !authorization.startsWith("AWS4-")) parsed = null;
    else {
      const parts = HEADER.exec(authorization) ?? undefined;
      parsed = { parts, credential: parts ? parts[1] : /Credential=([^,\s]+)/.exec(authorization)?.[1] };
    }
    headers.set(raw, parsed);
  }
  return parsed ?? undefined;
}

/** Reads a SigV4 claim from the Authorization header or the query; undefined when the request carries none. */
export function parseSigV4(raw: RawRequest, query: URLSearchParams): ParseResult {
  const header = sigV4Header(raw);
  if (header) {
    const m = header.parts;
    if (!m) return { malformed: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters." };
    const amzDate = raw.headers["x-amz-date"] ?? "";
    return scoped("header", m[1]!, m[2]!, m[3]!, amzDate, undefined, raw.headers["x-amz-security-token"]);
  }
  if (query.get("X-Amz-Algorithm") === "AWS4-HMAC-SHA256" || query.has("X-Amz-Credential")) {
    const credential = query.get("X-Amz-Credential");
    const signed = query.get("X-Amz-SignedHeaders");
    const signature = query.get("X-Amz-Signature");
    const expires = Number(query.get("X-Amz-Expires"));
    if (!credential || !signed || !signature || !/^[0-9a-fA-F]{64}$/.test(signature) || !Number.isInteger(expires) || expires < 1) {
      return { malformed: "Query-string authentication requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters." };
    }
    if (expires > 604800) return { malformed: "X-Amz-Expires must be less than a week (in seconds) that is 604800" };
    return scoped("query", credential, signed, signature, query.get("X-Amz-Date") ?? "", expires, query.get("X-Amz-Security-Token") ?? undefined);
  }
  return undefined;
}

function scoped(kind: SigV4Claim["kind"], credential: string, signed: string, signature: string, amzDate: string, expires: number | undefined, securityToken: string | undefined): ParseResult {
  const parts = credential.split("/");
  if (parts.length !== 5 || parts[4] !== "aws4_request" || !parts[0]) return { malformed: `Credential should be scoped correctly: '${credential}'.` };
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  if (!/^\d{8}$/.test(date)) return { malformed: `Credential should be scoped to a valid date, not '${date}'.` };
  // The region becomes part of file names of the state store; only real region shapes pass.
  if (!/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(region)) return { malformed: `Credential should be scoped to a valid region, not '${region}'.` };
  if (!AMZ_DATE.test(amzDate)) return { malformed: "Authorization requires an X-Amz-Date in the form YYYYMMDD'T'HHMMSS'Z'." };
  if (amzDate.slice(0, 8) !== date) return { malformed: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}'.` };
  return { claim: { kind, accessKeyId, date, region, service, signedHeaders: signed.toLowerCase().split(";"), signature: signature.toLowerCase(), amzDate, expires, securityToken } };
}

/** 20261124T131905Z (checked by AMZ_DATE) as a Date. */
export function parseAmzDate(amzDate: string): Date {
  const n = (from: number, to: number) => Number(amzDate.slice(from, to));
  return new Date(Date.UTC(n(0, 4), n(4, 6) - 1, n(6, 8), n(9, 11), n(11, 13), n(13, 15)));
}

/**
 * Recomputes the request's signature and compares in constant time. Only the signed headers count; the
 * payload hash is the x-amz-content-sha256 the client signed (the body is checked against it separately),
 * else the body's own hash. Presigned URLs sign UNSIGNED-PAYLOAD for S3 unless their query says otherwise.
 */
export async function verifySigV4(raw: RawRequest, claim: SigV4Claim, secretAccessKey: string, body: Buffer | undefined): Promise<boolean> {
  let payloadHash: string;
  if (claim.kind === "header") {
    payloadHash = raw.headers["x-amz-content-sha256"] ?? payloadHashOf(body);
  } else {
    const claimed = queryParams(raw).get("X-Amz-Content-Sha256");
    payloadHash = claimed ?? (claim.service === "s3" ? "UNSIGNED-PAYLOAD" : payloadHashOf(undefined));
  }
  const expected = signature(
    {
      method: raw.method,
      path: raw.path,
      query: raw.query,
      headers: raw.headers,
      signedHeaders: claim.signedHeaders,
      payloadHash,
      amzDate: claim.amzDate,
      date: claim.date,
      region: claim.region,
      service: claim.service,
    },
    secretAccessKey,
  );
  return expected.length === claim.signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(claim.signature));
}

export { sha256Hex } from "./sigv4-signing.js";

/** SigV4 in the Authorization header or a presigned query string. */
export const sigV4Scheme: AuthScheme = {
  parse(raw, query) {
    const parsed = parseSigV4(raw, query);
    if (!parsed || "malformed" in parsed) return parsed;
    const { claim } = parsed;
    const signedAt = parseAmzDate(claim.amzDate);
    return {
      claim: {
        accessKeyId: claim.accessKeyId,
        securityToken: claim.securityToken,
        region: claim.region,
        signatureVersion: "SigV4",
        method: claim.kind === "header" ? "AuthHeader" : "QueryString",
        signedAt,
        expiresAt: claim.expires === undefined ? undefined : new Date(signedAt.getTime() + claim.expires * 1000),
        verify: (secret, body) => verifySigV4(raw, claim, secret, body),
        chunkSigning:
          claim.kind === "header"
            ? (secret) => ({
                signingKey: signingKey(secret, claim.date, claim.region, claim.service),
                amzDate: claim.amzDate,
                scope: `${claim.date}/${claim.region}/${claim.service}/aws4_request`,
                seedSignature: claim.signature,
              })
            : undefined,
      },
    };
  },
};
