import type { ArnContext, ServiceAuthorization } from "../../src/types/authorization.js";
import { iamAuthorizationSource } from "./authorization-source.js";
import { iamStateOf, nameKey } from "./state.js";

/**
 * How IAM's calls are authorized (reference/iam-enforcement.md §3): each operation is the same-name action
 * on the user, group, role, policy or instance profile it names, with the entity's path in the ARN; an
 * operation that names no user acts on the calling user. Only AddRoleToInstanceProfile needs more.
 */
type Input = Record<string, unknown>;
const text = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);

/** `arn:aws:iam::<account>:<kind>/<path><name>`: the stored entity's path, else the path being created, else `/`. */
function entityArn(kind: "user" | "group" | "role" | "instance-profile", name: string | undefined, input: Input, ctx: ArnContext): string[] | undefined {
  if (name === undefined) return undefined;
  const iam = iamStateOf(ctx.state, ctx.accountId);
  const table = { user: iam.users, group: iam.groups, role: iam.roles, "instance-profile": iam.instanceProfiles }[kind] as Record<string, { path: string }>;
  const path = table[nameKey(name)]?.path ?? text(input.Path) ?? "/";
  return [`arn:aws:iam::${ctx.accountId}:${kind}${path}${name}`];
}

export const iamAuthorization: ServiceAuthorization = {
  prefix: "iam",
  variables: {},
  resolvers: {
    user: (input, ctx) => entityArn("user", text(input.UserName) ?? (ctx.caller.type === "IAMUser" ? ctx.caller.userName : undefined), input, ctx),
    group: (input, ctx) => entityArn("group", text(input.GroupName), input, ctx),
    role: (input, ctx) => entityArn("role", text(input.RoleName), input, ctx),
    "instance-profile": (input, ctx) => entityArn("instance-profile", text(input.InstanceProfileName), input, ctx),
    // CreateOpenIDConnectProvider names the provider by its URL; the others by its ARN.
    "oidc-provider": (input, ctx) => {
      const arn = text(input.OpenIDConnectProviderArn);
      const url = text(input.Url)?.replace(/^https:\/\//i, "");
      return arn ? [arn] : url ? [`arn:aws:iam::${ctx.accountId}:oidc-provider/${url}`] : undefined;
    },
    policy: (input, ctx) => {
      const arn = text(input.PolicyArn);
      if (arn) return [arn];
      const name = text(input.PolicyName);
      // CreatePolicy names the policy it makes; inline policy names are not resources.
      return name && input.PolicyDocument !== undefined && input.UserName === undefined && input.GroupName === undefined && input.RoleName === undefined
        ? [`arn:aws:iam::${ctx.accountId}:policy${text(input.Path) ?? "/"}${name}`]
        : undefined;
    },
  },
  operations: {
    // The account's password policy names no resource.
    UpdateAccountPasswordPolicy: [{ action: "iam:UpdateAccountPasswordPolicy" }],
    GetAccountPasswordPolicy: [{ action: "iam:GetAccountPasswordPolicy" }],
    DeleteAccountPasswordPolicy: [{ action: "iam:DeleteAccountPasswordPolicy" }],
    AddRoleToInstanceProfile: [
      { action: "iam:AddRoleToInstanceProfile" },
      { action: "iam:PassRole", conditionKeys: { "iam:PassedToService": "ec2.amazonaws.com" } },
    ],
  },
  conditionKeys: { "iam:PolicyARN": "PolicyArn", "iam:PermissionsBoundary": "PermissionsBoundary" },
  requestTags: ["Tags"],
  denial: { code: "AccessDenied", status: 403, noResource: "omit" },
  source: iamAuthorizationSource,
};
