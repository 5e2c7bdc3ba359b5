/**
 * localtrail's own OpenID Connect issuer, as STS sees it (src/control/oidc-issuer.ts): it signs the tokens that
 * `POST /_localtrail/oidc/token` mints, so AssumeRoleWithWebIdentity can check their signatures without a
 * network. Tokens signed by any other key are not localtrail's to verify.
 */
export interface WebIdentityIssuer {
  /** The `iss` of the tokens it mints unless asked for another. */
  readonly issuer: string;
  /**
   * `verified`: the token names this issuer's key and its RS256 signature holds; `bad-signature`: it names this
   * key (or claims this issuer) and the signature does not hold; `foreign`: signed by a key localtrail does not hold.
   */
  verify(token: string): "verified" | "bad-signature" | "foreign";
}
