import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type JsonWebKey, type KeyObject } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { WebIdentityIssuer } from "../types/web-identity.js";

/**
 * The issuer name of localtrail's tokens. Fixed, not the endpoint's address, so a trust policy or an IAM OIDC
 * provider written for it does not change with the port; `.localhost` names no host on the internet.
 */
export const LOCAL_ISSUER = "https://oidc.localtrail.localhost";

/** Claims a minted token carries; `iss`, `iat`, `nbf` and `exp` are filled in when absent. */
export type TokenClaims = Record<string, unknown> & { sub: string; aud: string | string[] };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * An RS256 signing key and the OIDC documents around it (discovery and JWKS), all by node:crypto. With a data
 * dir the key is kept there (`oidc-issuer-key.pem`), so tokens minted before a restart still verify; it is
 * made on first use, since most runs never federate.
 */
export class LocalOidcIssuer implements WebIdentityIssuer {
  readonly issuer = LOCAL_ISSUER;
  private key?: { privateKey: KeyObject; jwk: JsonWebKey & { kid: string } };

  constructor(private readonly dataDir: string | undefined) {}

  private signingKey() {
    if (this.key) return this.key;
    const file = this.dataDir && join(this.dataDir, "oidc-issuer-key.pem");
    let privateKey: KeyObject | undefined;
    try {
      if (file) privateKey = createPrivateKey(readFileSync(file));
    } catch {
      privateKey = undefined;
    }
    if (!privateKey) {
      privateKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
      if (file) {
        mkdirSync(this.dataDir!, { recursive: true });
        writeFileSync(file, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
      }
    }
    const pub = createPublicKey(privateKey).export({ format: "jwk" });
    // The key id is the key's RFC 7638 thumbprint: stable for one key, different for the next.
    const kid = createHash("sha256").update(JSON.stringify({ e: pub.e, kty: pub.kty, n: pub.n })).digest("base64url");
    this.key = { privateKey, jwk: { ...pub, kid, alg: "RS256", use: "sig" } };
    return this.key;
  }

  /** A signed ID token; times in seconds of emulated time, `expiresIn` may be negative for an expired one. */
  mint(claims: TokenClaims, now: Date, expiresIn = 3600): string {
    const { privateKey, jwk } = this.signingKey();
    const iat = Math.floor(now.getTime() / 1000);
    const payload = { iss: this.issuer, iat, nbf: iat, exp: iat + expiresIn, ...claims };
    const input = `${b64({ alg: "RS256", typ: "JWT", kid: jwk.kid })}.${b64(payload)}`;
    return `${input}.${sign("sha256", Buffer.from(input), privateKey).toString("base64url")}`;
  }

  verify(token: string): "verified" | "bad-signature" | "foreign" {
    const [header, payload, signature] = token.split(".");
    let kid: unknown;
    let iss: unknown;
    try {
      kid = JSON.parse(Buffer.from(header ?? "", "base64url").toString("utf8")).kid;
      iss = JSON.parse(Buffer.from(payload ?? "", "base64url").toString("utf8")).iss;
    } catch {
      return "foreign";
    }
    const { jwk } = this.signingKey();
    if (kid !== jwk.kid) return iss === this.issuer ? "bad-signature" : "foreign";
    const ok = verify("sha256", Buffer.from(`${header}.${payload}`), createPublicKey({ key: jwk, format: "jwk" }), Buffer.from(signature ?? "", "base64url"));
    return ok ? "verified" : "bad-signature";
  }

  jwks() {
    const { kty, n, e, kid, alg, use } = this.signingKey().jwk;
    return { keys: [{ kty, n, e, kid, alg, use }] };
  }

  /** The discovery document; `base` is where this emulator serves the issuer's documents. */
  discovery(base: string) {
    return {
      issuer: this.issuer,
      jwks_uri: `${base}/jwks`,
      token_endpoint: `${base}/token`,
      response_types_supported: ["id_token"],
      subject_types_supported: ["public", "pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      claims_supported: ["sub", "aud", "iss", "iat", "nbf", "exp"],
    };
  }
}
