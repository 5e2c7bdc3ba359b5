import type { CallContext } from "../../src/types/service.js";
import { findGroup } from "./groups.js";
import { findRole } from "./roles.js";
import type { PolicyHolder } from "./state.js";
import { findUser } from "./users.js";

/** The three kinds of entity that hold managed and inline policies. */
export type HolderKind = "User" | "Group" | "Role";

export interface Holder {
  kind: HolderKind;
  /** The name as the entity spells it. */
  name: string;
  entity: PolicyHolder;
}

/** The user, group or role a policy operation names (NoSuchEntity in each kind's words when missing). */
export function findHolder(ctx: CallContext, kind: HolderKind, name: string): Holder {
  switch (kind) {
    case "User": {
      const user = findUser(ctx, name);
      return { kind, name: user.userName, entity: user };
    }
    case "Group": {
      const group = findGroup(ctx, name);
      return { kind, name: group.groupName, entity: group };
    }
    case "Role": {
      const role = findRole(ctx, name);
      return { kind, name: role.roleName, entity: role };
    }
  }
}
