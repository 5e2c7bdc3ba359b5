import { AwsError } from "../types/aws-error.js";
import type { Protocol } from "../types/model.js";

/** Why a request could not be authenticated. */
export type AuthProblem = "unknownKey" | "badSignature" | "malformed" | "missing" | "expired" | "urlExpired" | "expiredToken" | "invalidToken";

const UNKNOWN_KEY = "The security token included in the request is invalid.";
const BAD_SIGNATURE =
  "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const EXPIRED_TOKEN = "The security token included in the request is expired";

/**
 * Each protocol spells authentication failures its own way (reference/protocols.md §3.6): IAM answers an
 * unknown key with InvalidClientTokenId, EC2 with AuthFailure, S3 with InvalidAccessKeyId, the JSON services
 * with UnrecognizedClientException.
 */
export function authError(protocol: Protocol | undefined, problem: AuthProblem, detail?: string, fields?: Record<string, string>): AwsError {
  const [code, status, message] = spelling(protocol ?? "query", problem, detail);
  return new AwsError(code, message, { status, fields });
}

function spelling(protocol: Protocol, problem: AuthProblem, detail: string | undefined): [string, number, string] {
  switch (protocol) {
    case "query":
      switch (problem) {
        case "unknownKey":
        case "invalidToken":
          return ["InvalidClientTokenId", 403, UNKNOWN_KEY];
        case "badSignature":
          return ["SignatureDoesNotMatch", 403, BAD_SIGNATURE];
        case "expired":
        case "urlExpired":
          return ["SignatureDoesNotMatch", 403, detail ?? "Signature expired"];
        case "expiredToken":
          return ["ExpiredToken", 403, EXPIRED_TOKEN];
        case "malformed":
          return ["IncompleteSignature", 400, detail ?? "Authorization header is malformed"];
        case "missing":
          return ["MissingAuthenticationToken", 403, "Request is missing Authentication Token"];
      }
      break;
    case "ec2":
      switch (problem) {
        case "unknownKey":
        case "invalidToken":
        case "badSignature":
          return ["AuthFailure", 401, "AWS was not able to validate the provided access credentials"];
        case "expired":
        case "urlExpired":
          return ["RequestExpired", 400, detail ?? "Request has expired."];
        case "expiredToken":
          return ["RequestExpired", 400, EXPIRED_TOKEN];
        case "malformed":
          return ["IncompleteSignature", 400, detail ?? "Authorization header is malformed"];
        case "missing":
          return ["MissingAuthenticationToken", 401, "Request is missing Authentication Token"];
      }
      break;
    case "rest-xml":
      switch (problem) {
        case "unknownKey":
          return ["InvalidAccessKeyId", 403, "The AWS Access Key Id you provided does not exist in our records."];
        case "invalidToken":
          return ["InvalidToken", 400, "The provided token is malformed or otherwise invalid."];
        case "badSignature":
          return ["SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided. Check your key and signing method."];
        case "expired":
          return ["RequestTimeTooSkewed", 403, "The difference between the request time and the current time is too large."];
        case "urlExpired":
          return ["AccessDenied", 403, "Request has expired"];
        case "expiredToken":
          return ["ExpiredToken", 400, "The provided token has expired."];
        case "malformed":
          return ["AuthorizationHeaderMalformed", 400, detail ?? "The authorization header is malformed."];
        case "missing":
          return ["AccessDenied", 403, "Access Denied"];
      }
      break;
    case "json":
    case "rest-json": {
      // Lambda (rest-json) answers 403 where the JSON RPC services answer 400.
      const status = protocol === "rest-json" ? 403 : 400;
      switch (problem) {
        case "unknownKey":
        case "invalidToken":
          return ["UnrecognizedClientException", status, UNKNOWN_KEY];
        case "badSignature":
          return ["InvalidSignatureException", status, BAD_SIGNATURE];
        case "expired":
        case "urlExpired":
          return ["InvalidSignatureException", status, detail ?? "Signature expired"];
        case "expiredToken":
          return ["ExpiredTokenException", status, EXPIRED_TOKEN];
        case "malformed":
          return ["IncompleteSignatureException", status, detail ?? "Authorization header is malformed"];
        case "missing":
          return ["MissingAuthenticationTokenException", status, "Missing Authentication Token"];
      }
    }
  }
  return ["AccessDenied", 403, "Access Denied"];
}
