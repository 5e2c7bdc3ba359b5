import { createHash, timingSafeEqual } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";
import { Hash } from "@smithy/core/serde";
import type { RawRequest } from "../types/request-context.js";
import type { AuthScheme } from "./auth-scheme.js";
import { signingKey } from "./aws-chunked.js";

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

/** Reads a SigV4 claim from the Authorization header or the query; undefined when the request carries none. */
export function parseSigV4(raw: RawRequest, query: URLSearchParams): ParseResult {
  const authorization = raw.headers["authorization"];
  if (authorization !== undefined && authorization.startsWith("AWS4-")) {
    const m = HEADER.exec(authorization);
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

export function parseAmzDate(amzDate: string): Date {
  return new Date(`${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`);
}

/** The query of a request as SigV4 canonicalises it: decoded once, `+` left alone (it is not a space here). */
function signingQuery(rawQuery: string, drop: Set<string>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!rawQuery) return out;
  for (const pair of rawQuery.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const key = safeDecode(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? "" : safeDecode(pair.slice(eq + 1));
    if (drop.has(key)) continue;
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else out[key] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const PRESIGN_PARAMS = new Set(["X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature", "X-Amz-Security-Token"]);
const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/**
 * Recomputes the signature with @smithy/signature-v4 and compares. The settings that make the SDK's signer
 * reproduce what boto3, the CLI and SDK v3 sent (reference/protocols.md §3.2): only the signed headers,
 * each forced signable; applyChecksum off; S3 paths not escaped again; the raw path and a raw-decoded query.
 * `body` is hashed only when the client sent no x-amz-content-sha256.
 */
export async function verifySigV4(raw: RawRequest, claim: SigV4Claim, secretAccessKey: string, body: Buffer | undefined): Promise<boolean> {
  const signer = new SignatureV4({
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey, sessionToken: claim.kind === "query" ? claim.securityToken : undefined },
    region: claim.region,
    service: claim.service,
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: claim.service !== "s3",
    applyChecksum: false,
  });
  const headers: Record<string, string> = {};
  for (const name of claim.signedHeaders) headers[name] = raw.headers[name] ?? "";
  const signable = new Set(claim.signedHeaders);
  const signingDate = parseAmzDate(claim.amzDate);
  let expected: string | undefined;
  if (claim.kind === "header") {
    const signed = await signer.sign(
      { method: raw.method, protocol: "http:", hostname: "localhost", path: raw.path, query: signingQuery(raw.query, new Set()), headers, body: raw.headers["x-amz-content-sha256"] ? undefined : body ?? Buffer.alloc(0) },
      { signingDate, signableHeaders: signable },
    );
    expected = /Signature=([0-9a-f]{64})/.exec(String(signed.headers["authorization"]))?.[1];
  } else {
    const query = signingQuery(raw.query, new Set());
    // S3 presigned URLs sign UNSIGNED-PAYLOAD unless the client put its own hash in the query.
    const payloadHash = typeof query["X-Amz-Content-Sha256"] === "string" ? query["X-Amz-Content-Sha256"] : claim.service === "s3" ? "UNSIGNED-PAYLOAD" : EMPTY_SHA256;
    const presigned = await signer.presign(
      { method: raw.method, protocol: "http:", hostname: "localhost", path: raw.path, query: signingQuery(raw.query, PRESIGN_PARAMS), headers: signable.has("x-amz-content-sha256") ? headers : { ...headers, "x-amz-content-sha256": payloadHash } },
      {
        signingDate,
        expiresIn: claim.expires,
        signableHeaders: signable,
        unsignableHeaders: signable.has("x-amz-content-sha256") ? undefined : new Set(["x-amz-content-sha256"]),
        unhoistableHeaders: new Set([...signable, "x-amz-content-sha256"]),
      },
    );
    expected = String(presigned.query?.["X-Amz-Signature"] ?? "");
  }
  return !!expected && expected.length === claim.signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(claim.signature));
}

export const sha256Hex = (data: Buffer): string => createHash("sha256").update(data).digest("hex");

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
