import type { Hono } from "hono";
import type { Role } from "../../generated/types/iam.js";
import type { ConsoleContext, ConsoleEnv } from "../context.js";
import { Container, EmptyRow, Layout, PageHeader, ago, consoleTime, href } from "../layout.js";
import { page } from "../render.js";
import { takeNotice } from "../session.js";
import { errorText, iamCall } from "./iam-call.js";
import { iamNav } from "./nav.js";

/** The roles list. */
export function addRoleRoutes(app: Hono<ConsoleEnv>): void {
  app.get(href("iam/roles"), listRoles);
}

/**
 * Who may assume a role, as the console's "Trusted entities" column says it: `AWS service: lambda`,
 * `Account: 123456789012`, `Identity provider: ...`, from the trust policy's principals.
 */
export function trustedEntities(document: string | undefined): string {
  if (!document) return "-";
  let policy: { Statement?: unknown };
  try {
    policy = JSON.parse(document.startsWith("%7B") ? decodeURIComponent(document) : document) as { Statement?: unknown };
  } catch {
    return "-";
  }
  const statements = ([] as unknown[]).concat(policy.Statement ?? []) as { Effect?: string; Principal?: unknown }[];
  const found = new Set<string>();
  for (const s of statements) {
    if (s.Effect !== "Allow") continue;
    if (s.Principal === "*") found.add("Anyone");
    const principal = (typeof s.Principal === "object" && s.Principal) || {};
    for (const [kind, values] of Object.entries(principal as Record<string, unknown>)) {
      for (const v of ([] as unknown[]).concat(values)) {
        if (typeof v !== "string") continue;
        if (kind === "Service") found.add(`AWS service: ${v.replace(/\.amazonaws\.com(\.cn)?$/, "")}`);
        else if (kind === "AWS") found.add(/^\d{12}$/.test(v) || /:root$/.test(v) ? `Account: ${v.split(":")[4] ?? v}` : v);
        else if (kind === "Federated") found.add(`Identity provider: ${v}`);
        else found.add(`${kind}: ${v}`);
      }
    }
  }
  return found.size > 0 ? [...found].join(", ") : "-";
}

async function listRoles(c: ConsoleContext) {
  const roles: Role[] = [];
  let marker: string | undefined;
  let error: { code: string; message: string } | undefined;
  do {
    const r = await iamCall(c, "ListRoles", { Marker: marker });
    if (r.error) {
      error = r.error;
      break;
    }
    roles.push(...(r.output?.Roles ?? []));
    marker = r.output?.IsTruncated ? r.output.Marker : undefined;
  } while (marker);
  const now = c.var.deps.env.now();
  return page(
    c,
    <Layout
      title="Roles"
      session={c.var.session}
      service="iam"
      region="Global"
      nav={iamNav("roles")}
      breadcrumbs={[{ label: "IAM", href: href("iam/users") }, { label: "Roles" }]}
      notice={error ? { kind: "error", message: errorText(error) } : takeNotice(c.var.session)}
    >
      <PageHeader title="Roles" description="An IAM role is an identity with temporary credentials that trusted entities (users, applications, AWS services) assume." />
      <Container title="Roles" counter={roles.length} actions={<input type="search" class="filter" placeholder="Search" aria-label="Search roles" data-filter="roles-table" />}>
        <table class="table" id="roles-table" aria-label="Roles">
          <thead>
            <tr>
              <th scope="col">Role name</th>
              <th scope="col">Trusted entities</th>
              <th scope="col">Description</th>
              <th scope="col">Max session</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {roles.length === 0 && <EmptyRow columns={5} title="No roles" />}
            {roles.map((r) => (
              <tr>
                <td>
                  <span title={r.Arn}>{r.RoleName}</span>
                </td>
                <td>{trustedEntities(r.AssumeRolePolicyDocument)}</td>
                <td class="muted">{r.Description ?? "-"}</td>
                <td>{r.MaxSessionDuration ? `${r.MaxSessionDuration / 3600} h` : "-"}</td>
                <td title={consoleTime(r.CreateDate)}>{ago(r.CreateDate, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Container>
    </Layout>,
    error ? 502 : 200,
  );
}
