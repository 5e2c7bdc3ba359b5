import type { PolicyGroup, PolicyRole, PolicyUser } from "../../src/generated/types/iam.js";
import type { Op } from "./op.js";
import { paginate } from "./pagination.js";
import { requirePolicy } from "./policies.js";
import { iamState, type PolicyHolder } from "./state.js";

type Entity = { group: PolicyGroup } | { user: PolicyUser } | { role: PolicyRole };

/**
 * ListEntitiesForPolicy: the groups, users and roles that hold a managed policy (PermissionsPolicy, the
 * default) or use it as permissions boundary. The entity filters LocalManagedPolicy and AWSManagedPolicy name
 * no holder, so they list nothing.
 */
export const listEntitiesForPolicy: Op<"ListEntitiesForPolicy"> = (input, ctx) => {
  const state = iamState(ctx);
  const policy = requirePolicy(ctx, input.PolicyArn);
  const arn = policy.policy.arn;
  const filter = input.EntityFilter;
  const holds = (h: PolicyHolder) =>
    input.PolicyUsageFilter === "PermissionsBoundary" ? h.permissionsBoundary === arn : h.attachedPolicies.includes(arn);
  const inPath = (path: string) => !input.PathPrefix || path.startsWith(input.PathPrefix);
  const entities: Entity[] = [
    ...(!filter || filter === "Group" ? Object.values(state.groups) : [])
      .filter((g) => holds(g) && inPath(g.path))
      .map((g) => ({ group: { GroupName: g.groupName, GroupId: g.groupId } })),
    ...(!filter || filter === "User" ? Object.values(state.users) : [])
      .filter((u) => holds(u) && inPath(u.path))
      .map((u) => ({ user: { UserName: u.userName, UserId: u.userId } })),
    ...(!filter || filter === "Role" ? Object.values(state.roles) : [])
      .filter((r) => holds(r) && inPath(r.path))
      .map((r) => ({ role: { RoleName: r.roleName, RoleId: r.roleId } })),
  ];
  const page = paginate(entities, input.Marker, input.MaxItems);
  return {
    PolicyGroups: page.items.flatMap((e) => ("group" in e ? [e.group] : [])),
    PolicyUsers: page.items.flatMap((e) => ("user" in e ? [e.user] : [])),
    PolicyRoles: page.items.flatMap((e) => ("role" in e ? [e.role] : [])),
    IsTruncated: page.IsTruncated,
    Marker: page.Marker,
  };
};
