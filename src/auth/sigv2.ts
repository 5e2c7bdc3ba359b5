import { createHmac, timingSafeEqual } from "node:crypto";
import type { RawRequest } from "../types/request-context.js";
import type { AuthScheme, SchemeResult } from "./auth-scheme.js";

/**
 * S3's signature version 2 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html),
 * as botocore's HmacV1Auth and HmacV1QueryAuth make it: boto3 presigns S3 URLs with it in us-east-1
 * (`?AWSAccessKeyId=...&Signature=...&Expires=...`), and older tools send `Authorization: AWS key:sig`.
 *
 * StringToSign = METHOD \n Content-MD5 \n Content-Type \n Date-or-Expires \n x-amz-* headers \n resource,
 * signature = base64(HMAC-SHA1(secret, StringToSign)).
 */

/** Query parameters that are part of the signed resource (botocore HmacV1Auth.QSAOfInterest). */
const SUB_RESOURCES = new Set([
  "accelerate", "acl", "cors", "defaultObjectAcl", "location", "logging", "partNumber", "policy", "requestPayment",
  "torrent", "versioning", "versionId", "versions", "website", "uploads", "uploadId", "response-content-type",
  "response-content-language", "response-expires", "response-cache-control", "response-content-disposition",
  "response-content-encoding", "delete", "lifecycle", "tagging", "restore", "storageClass", "notification",
  "replication", "analytics", "metrics", "inventory", "select", "select-type", "object-lock",
]);

const HEADER = /^AWS ([^:\s]+):([A-Za-z0-9+/=]+)$/;

export const sigV2Scheme: AuthScheme = {
  parse(raw, query): SchemeResult {
    const authorization = raw.headers["authorization"];
    if (authorization !== undefined && authorization.startsWith("AWS ")) {
      const m = HEADER.exec(authorization.trim());
      if (!m) return { malformed: "Authorization header is invalid -- one and only one ' ' (space) required" };
      const dateHeader = raw.headers["x-amz-date"] ?? raw.headers["date"];
      const signedAt = dateHeader ? new Date(dateHeader) : undefined;
      if (!signedAt || Number.isNaN(signedAt.getTime())) return { malformed: "AWS authentication requires a valid Date or x-amz-date header" };
      const [, accessKeyId, signature] = m as unknown as [string, string, string];
      // With x-amz-date the Date line is empty (the date is signed among the x-amz-* headers); botocore
      // still writes its Date header there when it sends both.
      const dateLines = raw.headers["x-amz-date"] !== undefined ? ["", raw.headers["date"] ?? ""] : [raw.headers["date"] ?? ""];
      return {
        claim: {
          accessKeyId,
          securityToken: raw.headers["x-amz-security-token"],
          signatureVersion: "SigV2",
          method: "AuthHeader",
          signedAt,
          verify: async (secret) => matches(signature, secret, dateLines.flatMap((line) => stringsToSign(raw, line, amzHeaders(raw.headers)))),
        },
      };
    }
    if (query.has("AWSAccessKeyId") && query.has("Signature")) {
      const expires = query.get("Expires") ?? "";
      if (!/^\d+$/.test(expires)) return { malformed: "Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters" };
      const signature = query.get("Signature")!;
      // Presigned x-amz-* headers travel in the query string, and are signed as headers.
      const signedHeaders = amzHeaders(raw.headers);
      for (const [k, v] of query) if (k.toLowerCase().startsWith("x-amz-")) signedHeaders.set(k.toLowerCase(), v);
      return {
        claim: {
          accessKeyId: query.get("AWSAccessKeyId")!,
          securityToken: query.get("x-amz-security-token") ?? raw.headers["x-amz-security-token"],
          signatureVersion: "SigV2",
          method: "QueryString",
          // A SigV2 URL carries only its expiry; when it was signed is unknown.
          signedAt: new Date(0),
          expiresAt: new Date(Number(expires) * 1000),
          verify: async (secret) => matches(signature, secret, stringsToSign(raw, expires, signedHeaders, query)),
        },
      };
    }
    return undefined;
  },
};

/** The lower-cased x-amz-* headers, values trimmed. */
function amzHeaders(headers: Record<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(headers)) if (k.startsWith("x-amz-")) out.set(k, v.split(",").map((s) => s.trim()).join(","));
  return out;
}

/**
 * The strings the client may have signed. The resource is the path with the bucket: for a virtual-hosted
 * request (`bkt.localhost/key`) that is `/bkt/key`, which the path alone does not show, so the bucket
 * label of the Host is tried too.
 */
function stringsToSign(raw: RawRequest, dateLine: string, amz: Map<string, string>, query?: URLSearchParams): string[] {
  const headerLines = [...amz.keys()].sort().map((k) => `${k}:${amz.get(k)}\n`).join("");
  const contentMd5 = query?.get("content-md5") ?? raw.headers["content-md5"] ?? "";
  const contentType = query?.get("content-type") ?? raw.headers["content-type"] ?? "";
  const prefix = `${raw.method}\n${contentMd5.trim()}\n${contentType.trim()}\n${dateLine}\n${headerLines}`;
  const resource = subResources(raw.query);
  const candidates = [`${prefix}${raw.path}${resource}`];
  const label = (raw.headers["host"] ?? "").split(":")[0]!.split(".");
  if (label.length > 1 && label[0]) candidates.push(`${prefix}/${label[0]}${raw.path}${resource}`);
  return candidates;
}

/** `?acl`, `?partNumber=2&uploadId=x`: the signed query parameters, sorted, values decoded once. */
function subResources(rawQuery: string): string {
  const kept: [string, string | undefined][] = [];
  for (const pair of rawQuery.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const key = eq === -1 ? pair : pair.slice(0, eq);
    if (!SUB_RESOURCES.has(key)) continue;
    kept.push([key, eq === -1 ? undefined : safeDecode(pair.slice(eq + 1))]);
  }
  if (kept.length === 0) return "";
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `?${kept.map(([k, v]) => (v === undefined ? k : `${k}=${v}`)).join("&")}`;
}

function matches(signature: string, secret: string, candidates: string[]): boolean {
  const given = Buffer.from(signature);
  return candidates.some((s) => {
    const expected = Buffer.from(createHmac("sha1", secret).update(s, "utf8").digest("base64"));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
