import type { NavSection } from "../layout.js";
import { href } from "../layout.js";

/** IAM's side navigation, with the current page marked. */
export function iamNav(current: "users" | "roles"): NavSection {
  return {
    title: "Identity and Access Management (IAM)",
    titleHref: href("iam/users"),
    items: [
      { label: "Users", href: href("iam/users"), active: current === "users" },
      { label: "Roles", href: href("iam/roles"), active: current === "roles" },
    ],
  };
}
