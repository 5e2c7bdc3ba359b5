import type { Step } from "../types/step.js";
import type { AuthScheme, SignatureClaim } from "./auth-scheme.js";
import { authError } from "./auth-errors.js";
import type { CredentialResolver } from "./identity.js";
import type { ResolvedCredential } from "../types/credentials.js";
import { sha256Hex } from "./sigv4.js";
import { queryParams } from "../gateway/query-params.js";
import { contentSha256Mismatch, preparePayload } from "./request-payload.js";
import type { Clock } from "../clock.js";
import type { Call, InternalIdentity } from "../types/request-context.js";

/** AWS accepts a signature made up to 15 minutes before or after its own clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

export interface AuthenticateOptions {
  schemes: AuthScheme[];
  credentials: CredentialResolver;
  /** false with --no-verify: identity still comes from the key, the signature is not checked. */
  verify: boolean;
  /** Credential expiry follows emulated time; signature skew is checked against the machine's time. */
  clock: Clock;
  defaultRegion: string;
}

/**
 * Verifies the request's signature and resolves the caller from its access key. A request that fails here
 * is answered with the protocol's auth error and is not recorded: AWS cannot attribute it to an account.
 */
export function authenticate(options: AuthenticateOptions): Step {
  return async function authenticate(call, next) {
    if (call.internal) {
      resolveInternal(call, call.internal, options);
      return next();
    }
    const protocol = call.codec?.protocol;
    // The model's unsigned operations take no AWS credentials, signed or not: the token in the input authenticates,
    // so the caller starts as an anonymous web identity that the handler names (src/types/caller.ts).
    if (call.operation?.authtype === "none") {
      call.caller = { type: "WebIdentityUser", accountId: "", accessKeyId: "" };
      call.region = options.defaultRegion;
      call.auth = { signatureVersion: "none", method: "none" };
      return next();
    }
    const query = queryParams(call.raw);
    let parsed;
    for (const scheme of options.schemes) {
      parsed = scheme.parse(call.raw, query);
      if (parsed) break;
    }
    if (!parsed) throw authError(protocol, "missing");
    if ("malformed" in parsed) throw authError(protocol, "malformed", parsed.malformed);
    const claim = parsed.claim;
    // Clients sign with their machine's clock, which a moved emulated clock does not change.
    const signedNow = options.clock.machineNow();
    const now = options.clock.now();
    const credential = options.verify ? options.credentials.find(claim.accessKeyId) : options.credentials.findOrDefault(claim.accessKeyId);
    if (!credential) throw authError(protocol, "unknownKey");
    if (options.verify) {
      if (credential.sessionToken !== undefined && claim.securityToken !== credential.sessionToken) throw authError(protocol, "invalidToken");
      if (credential.expiresAt && credential.expiresAt.getTime() < now.getTime()) throw authError(protocol, "expiredToken");
      checkTime(claim, signedNow, protocol);
      checkPayloadHash(call.raw.headers, call.body, protocol);
      if (!(await claim.verify(credential.secretAccessKey, call.body))) throw authError(protocol, "badSignature");
    }
    if (!acceptedFor(credential, call)) throw authError(protocol, "invalidToken");
    await preparePayload(call, { signing: options.verify ? claim.chunkSigning?.(credential.secretAccessKey) : undefined, verify: options.verify });
    call.caller = credential.caller;
    call.region = claim.region ?? options.defaultRegion;
    call.auth = { signatureVersion: claim.signatureVersion, method: claim.method, scopeRegion: claim.region };
    credential.markUsed?.({ service: call.service?.definition.name ?? "", region: call.region, at: now });
    await next();
  };
}

/**
 * The caller of a call made inside the emulator: the principal behind credentials the emulator issued (the
 * console's session; no signature to check, but an unknown or expired key is refused as over HTTP), or an
 * AWS service acting on its own.
 */
function resolveInternal(call: Call, identity: InternalIdentity, options: AuthenticateOptions): void {
  const protocol = call.codec?.protocol;
  if ("service" in identity) {
    call.caller = { type: "AWSService", invokedBy: identity.service, accountId: identity.accountId, accessKeyId: "", sourceArn: identity.sourceArn };
  } else {
    const credential = options.credentials.find(identity.accessKeyId);
    if (!credential) throw authError(protocol, "unknownKey");
    const now = options.clock.now();
    if (credential.expiresAt && credential.expiresAt.getTime() < now.getTime()) throw authError(protocol, "expiredToken");
    if (!acceptedFor(credential, call)) throw authError(protocol, "invalidToken");
    call.caller = credential.caller;
    credential.markUsed?.({ service: call.service?.definition.name ?? "", region: call.region, at: now });
  }
  call.auth = { signatureVersion: "SigV4", method: "AuthHeader", scopeRegion: call.region };
}

/** Whether the key may make this call at all (its issuer says; see ResolvedCredential.accepts). */
function acceptedFor(credential: ResolvedCredential, call: Call): boolean {
  return !credential.accepts || credential.accepts({ service: call.service?.definition.name ?? "", operation: call.operation?.name ?? "" });
}

function checkTime(claim: SignatureClaim, now: Date, protocol: Parameters<typeof authError>[0]): void {
  const signed = claim.signedAt.getTime();
  // Built only for an error: formatting dates for every request costs more than the check.
  const fields = () => ({ RequestTime: compact(claim.signedAt), ServerTime: now.toISOString(), MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS) });
  if (claim.expiresAt) {
    if (now.getTime() > claim.expiresAt.getTime()) throw authError(protocol, "urlExpired", "Request has expired", { Expires: claim.expiresAt.toISOString(), ServerTime: now.toISOString() });
    if (signed - now.getTime() > MAX_SKEW_MS) throw authError(protocol, "expired", `Signature not yet current: ${compact(claim.signedAt)} is still later than ${compact(new Date(now.getTime() + MAX_SKEW_MS))} (${compact(now)} + 15 min.)`, fields());
    return;
  }
  if (now.getTime() - signed > MAX_SKEW_MS) {
    throw authError(protocol, "expired", `Signature expired: ${compact(claim.signedAt)} is now earlier than ${compact(new Date(now.getTime() - MAX_SKEW_MS))} (${compact(now)} - 15 min.)`, fields());
  }
  if (signed - now.getTime() > MAX_SKEW_MS) {
    throw authError(protocol, "expired", `Signature not yet current: ${compact(claim.signedAt)} is still later than ${compact(new Date(now.getTime() + MAX_SKEW_MS))} (${compact(now)} + 15 min.)`, fields());
  }
}

/**
 * The signer trusts x-amz-content-sha256 instead of hashing the body, so the body must be checked against it
 * here (streamed bodies are checked while they are stored).
 */
function checkPayloadHash(headers: Record<string, string>, body: Buffer | undefined, protocol: Parameters<typeof authError>[0]): void {
  const claimed = headers["x-amz-content-sha256"];
  if (!claimed || !/^[0-9a-fA-F]{64}$/.test(claimed) || body === undefined) return;
  if (sha256Hex(body) === claimed.toLowerCase()) return;
  if (protocol === "rest-xml") throw contentSha256Mismatch(claimed, sha256Hex(body));
  throw authError(protocol, "badSignature");
}

/** 20261124T131905Z, the form AWS quotes in signature-time errors. */
const compact = (d: Date) => d.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
