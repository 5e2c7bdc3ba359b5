import type { RawRequest } from "../types/request-context.js";
import type { ChunkSigning } from "./aws-chunked.js";

/** A signature a request presents, ready to be checked once the secret behind its key is known. */
export interface SignatureClaim {
  accessKeyId: string;
  securityToken?: string;
  /** The credential scope's region (SigV4); SigV2 has none. */
  region?: string;
  signatureVersion: "SigV4" | "SigV2";
  method: "AuthHeader" | "QueryString";
  /** When the client signed. */
  signedAt: Date;
  /** Presigned URLs: when the URL stops working. */
  expiresAt?: Date;
  verify(secretAccessKey: string, body: Buffer | undefined): Promise<boolean>;
  /** SigV4 header signatures: what checking the chunk signatures of a signed aws-chunked body needs. */
  chunkSigning?(secretAccessKey: string): ChunkSigning;
}

export type SchemeResult = { claim: SignatureClaim } | { malformed: string } | undefined;

/** A way of signing requests (SigV4 header or query, S3's SigV2). */
export interface AuthScheme {
  /** undefined when the request does not use this scheme. */
  parse(raw: RawRequest, query: URLSearchParams): SchemeResult;
}
