/**
 * The Principal and NotPrincipal elements of resource-based policies (IAM User Guide, "AWS JSON policy
 * elements: Principal"): `*` is everyone; an account id or `arn:aws:iam::<account>:root` is the account
 * (delegation: its principals still need their own permission); a user, role or role-session ARN is that
 * principal; `Service` names an AWS service. Partial wildcards are not allowed in principals.
 */
export interface PrincipalSpec {
  everyone: boolean;
  aws: string[];
  service: string[];
  /** Federated and CanonicalUser principals: a web identity is matched by its provider's ARN among them. */
  other: string[];
}

/** Who is asking, as a resource-based policy sees them. */
export interface PolicyPrincipal {
  /** The ARN the caller is known by (user, assumed-role session, root), or the service principal. */
  arn: string;
  accountId: string;
  /** A role session's role (its path included). */
  roleArn?: string;
  /** An AWS service acting on its own (`events.amazonaws.com`). */
  service?: string;
  /** A web identity: the IAM OIDC provider that vouched for its token. */
  federated?: string;
}

/** How a statement's Principal names the caller: what that means differs (IAM User Guide, evaluation logic). */
export type PrincipalMatch = "everyone" | "self" | "role" | "account" | "service";

export function compilePrincipal(value: unknown): PrincipalSpec | undefined {
  if (value === "*") return { everyone: true, aws: [], service: [], other: [] };
  if (!value || typeof value !== "object" || Array.isArray(value)) return undefined;
  const spec: PrincipalSpec = { everyone: false, aws: [], service: [], other: [] };
  for (const [kind, names] of Object.entries(value as Record<string, unknown>)) {
    const list = ([] as unknown[]).concat(names).map(String);
    if (kind === "AWS") {
      for (const name of list) {
        if (name === "*") spec.everyone = true;
        else spec.aws.push(/^\d{12}$/.test(name) ? `arn:aws:iam::${name}:root` : name);
      }
    } else if (kind === "Service") spec.service.push(...list.map((s) => s.toLowerCase()));
    else spec.other.push(...list);
  }
  return spec;
}

/** How the spec names the principal, the closest way first; undefined when it does not. */
export function matchPrincipal(spec: PrincipalSpec, who: PolicyPrincipal): PrincipalMatch | undefined {
  // A web identity is named only by its provider: `"Federated": "arn:aws:iam::<account>:oidc-provider/<url>"`.
  if (who.federated !== undefined) return spec.other.includes(who.federated) ? "self" : undefined;
  if (who.service !== undefined) return spec.service.includes(who.service.toLowerCase()) ? "service" : spec.everyone ? "everyone" : undefined;
  if (spec.aws.includes(who.arn)) return "self";
  if (who.roleArn !== undefined && spec.aws.includes(who.roleArn)) return "role";
  if (spec.aws.includes(`arn:aws:iam::${who.accountId}:root`)) return "account";
  return spec.everyone ? "everyone" : undefined;
}

/**
 * NotPrincipal applies to a caller unless each identity the caller acts as is listed: the principal, its
 * role for a session, and its account ("Deny with NotPrincipal: list the account too, or the account and so
 * its users are denied").
 */
export function notPrincipalApplies(spec: PrincipalSpec, who: PolicyPrincipal): boolean {
  if (spec.everyone) return false;
  if (who.service !== undefined) return !spec.service.includes(who.service.toLowerCase());
  const identities = [who.arn, `arn:aws:iam::${who.accountId}:root`];
  if (who.roleArn !== undefined) identities.push(who.roleArn);
  return !identities.every((id) => spec.aws.includes(id));
}
