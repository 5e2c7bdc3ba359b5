import type { Hono } from "hono";
import type { Child, FC } from "hono/jsx";
import type { AccessKeyMetadata, AttachedPolicy, Group, Policy, User } from "../../generated/types/iam.js";
import type { ConsoleContext, ConsoleEnv } from "../context.js";
import { Container, CsrfField, EmptyRow, KeyValues, Layout, PageHeader, ago, consoleTime, href, type Notice } from "../layout.js";
import { page } from "../render.js";
import { takeNotice, type ConsoleSession } from "../session.js";
import { errorText, iamCall } from "./iam-call.js";
import { iamNav } from "./nav.js";

const userHref = (name: string, tab?: string) => href(`iam/users/${encodeURIComponent(name)}${tab ? `?tab=${tab}` : ""}`);
const crumbs = (...rest: { label: string; href?: string }[]) => [{ label: "IAM", href: href("iam/users") }, { label: "Users", href: href("iam/users") }, ...rest];

/** Users list, create user, a user's details (permissions, groups, security credentials), delete user. */
export function addUserRoutes(app: Hono<ConsoleEnv>): void {
  app.get(href("iam/users"), listUsers);
  app.get(href("iam/users/create"), (c) => showCreateUser(c, {}));
  app.post(href("iam/users/create"), createUser);
  app.get(href("iam/users/:name"), userDetails);
  app.get(href("iam/users/:name/delete"), (c) => showDeleteUser(c, c.req.param("name") ?? ""));
  app.post(href("iam/users/:name/delete"), deleteUser);
}

/** Every page of a paginated IAM list (Marker/IsTruncated), as the console pages through them. */
async function allPages<T>(fetch: (marker?: string) => Promise<{ items: T[]; marker?: string; error?: { code: string; message: string } }>): Promise<{ items: T[]; error?: { code: string; message: string } }> {
  const items: T[] = [];
  let marker: string | undefined;
  do {
    const page = await fetch(marker);
    if (page.error) return { items, error: page.error };
    items.push(...page.items);
    marker = page.marker;
  } while (marker);
  return { items };
}

const IamPage: FC<{ title: string; session: ConsoleSession; breadcrumbs: { label: string; href?: string }[]; notice?: Notice; current?: "users" | "roles"; children?: Child }> = (p) => (
  <Layout title={p.title} session={p.session} service="iam" region="Global" nav={iamNav(p.current ?? "users")} breadcrumbs={p.breadcrumbs} notice={p.notice ?? takeNotice(p.session)}>
    {p.children}
  </Layout>
);

async function listUsers(c: ConsoleContext) {
  const listed = await allPages<User>(async (Marker) => {
    const r = await iamCall(c, "ListUsers", { Marker });
    return { items: r.output?.Users ?? [], marker: r.output?.IsTruncated ? r.output.Marker : undefined, error: r.error };
  });
  // The console asks for each user's groups and access keys, as AWS's does (calls per row, all recorded).
  const rows = await Promise.all(listed.items.map((u) => userRow(c, u)));
  const now = c.var.deps.env.now();
  return page(
    c,
    <IamPage title="Users" session={c.var.session} breadcrumbs={crumbs()} notice={listed.error && { kind: "error", message: errorText(listed.error) }}>
      <PageHeader
        title="Users"
        description="An IAM user is an identity with long-term credentials that is used to interact with AWS in an account."
        actions={
          <form method="get" action={href("iam/users/create")}>
            <button type="submit" class="btn btn-primary">
              Create user
            </button>
          </form>
        }
      />
      <Container
        title="Users"
        counter={listed.items.length}
        actions={<input type="search" class="filter" placeholder="Search" aria-label="Search users" data-filter="users-table" />}
      >
        <table class="table" id="users-table" aria-label="Users">
          <thead>
            <tr>
              <th scope="col">User name</th>
              <th scope="col">Path</th>
              <th scope="col">Groups</th>
              <th scope="col">Last activity</th>
              <th scope="col">Console last sign-in</th>
              <th scope="col">Access keys</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {listed.items.length === 0 && (
              <EmptyRow columns={7} title="No users">
                Create a user to give a person or an application access to this account.
              </EmptyRow>
            )}
            {listed.items.map((u, i) => (
              <tr>
                <td>
                  <a href={userHref(u.UserName)}>{u.UserName}</a>
                </td>
                <td class="mono">{u.Path}</td>
                <td>{rows[i]!.groups.length === 0 ? "None" : rows[i]!.groups.join(", ")}</td>
                <td title={rows[i]!.lastActivity ? consoleTime(rows[i]!.lastActivity) : undefined}>{rows[i]!.lastActivity ? ago(rows[i]!.lastActivity, now) : "Never"}</td>
                <td title={u.PasswordLastUsed ? consoleTime(u.PasswordLastUsed) : undefined}>{u.PasswordLastUsed ? ago(u.PasswordLastUsed, now) : "-"}</td>
                <td>{rows[i]!.activeKeys === 0 ? "-" : `${rows[i]!.activeKeys} active`}</td>
                <td title={consoleTime(u.CreateDate)}>{ago(u.CreateDate, now)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Container>
    </IamPage>,
    listed.error ? 502 : 200,
  );
}

/** What a users-list row needs beyond ListUsers: groups, and the latest use of the password or a key. */
async function userRow(c: ConsoleContext, user: User): Promise<{ groups: string[]; lastActivity?: Date; activeKeys: number }> {
  const [groups, keys] = await Promise.all([iamCall(c, "ListGroupsForUser", { UserName: user.UserName }), iamCall(c, "ListAccessKeys", { UserName: user.UserName })]);
  const metadata = keys.output?.AccessKeyMetadata ?? [];
  const used = await Promise.all(metadata.map(async (k) => (await iamCall(c, "GetAccessKeyLastUsed", { AccessKeyId: k.AccessKeyId! })).output?.AccessKeyLastUsed?.LastUsedDate));
  const times = [user.PasswordLastUsed, ...used].filter((d): d is Date => d !== undefined).map((d) => new Date(d).getTime());
  return {
    groups: (groups.output?.Groups ?? []).map((g) => g.GroupName),
    lastActivity: times.length > 0 ? new Date(Math.max(...times)) : undefined,
    activeKeys: metadata.filter((k) => k.Status === "Active").length,
  };
}

interface CreateForm {
  userName?: string;
  console?: boolean;
  resetRequired?: boolean;
  policies?: string[];
  error?: string;
}

async function showCreateUser(c: ConsoleContext, form: CreateForm, status: 200 | 400 = 200) {
  const policies = await allPages<Policy>(async (Marker) => {
    const r = await iamCall(c, "ListPolicies", { Scope: "All", Marker });
    return { items: r.output?.Policies ?? [], marker: r.output?.IsTruncated ? r.output.Marker : undefined, error: r.error };
  });
  const chosen = new Set(form.policies ?? []);
  const error = form.error ?? (policies.error && errorText(policies.error));
  return page(
    c,
    <IamPage title="Create user" session={c.var.session} breadcrumbs={crumbs({ label: "Create user" })} notice={error ? { kind: "error", message: error } : undefined}>
      <PageHeader title="Create user" description="Specify the user's name, whether they may sign in to the console, and what they may do." />
      <form method="post" action={href("iam/users/create")} class="form">
        <CsrfField session={c.var.session} />
        <Container title="User details">
          <div class="field">
            <label for="user-name">User name</label>
            <input id="user-name" name="userName" type="text" required maxlength={64} value={form.userName ?? ""} spellcheck={false} autocomplete="off" />
            <small class="hint">Up to 64 characters: letters, digits and + = , . @ _ -</small>
          </div>
          <label class="checkbox">
            <input type="checkbox" name="console" value="on" checked={form.console ?? false} />
            <span>
              Provide user access to the AWS Management Console
              <small>The user signs in with this account's ID or alias, their user name and a password.</small>
            </span>
          </label>
          <div class="field console-only">
            <label for="console-password">Console password</label>
            <input id="console-password" name="password" type="password" autocomplete="new-password" />
          </div>
          <label class="checkbox console-only">
            <input type="checkbox" name="resetRequired" value="on" checked={form.resetRequired ?? false} />
            <span>Users must create a new password at next sign-in</span>
          </label>
        </Container>
        <Container
          title="Permissions policies"
          counter={policies.items.length}
          description="Attach policies directly: choose one or more policies to attach to the new user."
          actions={<input type="search" class="filter" placeholder="Filter by name" aria-label="Filter policies" data-filter="policies-table" />}
        >
          <div class="table-scroll">
            <table class="table selectable" id="policies-table" aria-label="Permissions policies">
              <thead>
                <tr>
                  <th scope="col" class="select">
                    <span class="visually-hidden">Attach</span>
                  </th>
                  <th scope="col">Policy name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Attached entities</th>
                </tr>
              </thead>
              <tbody>
                {policies.items.map((p) => (
                  <tr>
                    <td class="select">
                      <input type="checkbox" name="policy" value={p.Arn} checked={chosen.has(p.Arn ?? "")} aria-label={p.PolicyName} id={`policy-${p.PolicyId}`} />
                    </td>
                    <td>
                      <label for={`policy-${p.PolicyId}`}>{p.PolicyName}</label>
                    </td>
                    <td>{policyType(p.Arn)}</td>
                    <td>{p.AttachmentCount ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </Container>
        <div class="form-actions">
          <a class="btn btn-link" href={href("iam/users")}>
            Cancel
          </a>
          <button type="submit" class="btn btn-primary">
            Create user
          </button>
        </div>
      </form>
    </IamPage>,
    status,
  );
}

const policyType = (arn: string | undefined) => (arn?.startsWith("arn:aws:iam::aws:") ? "AWS managed" : "Customer managed");

/**
 * Create user as the console does it: CreateUser, then CreateLoginProfile when console access is wanted, then
 * one AttachUserPolicy per chosen policy, each an API call recorded with the signed-in principal.
 */
async function createUser(c: ConsoleContext) {
  const body = await c.req.parseBody({ all: true });
  const one = (name: string) => (typeof body[name] === "string" ? (body[name] as string) : "");
  const list = (name: string) => ([] as unknown[]).concat(body[name] ?? []).filter((v): v is string => typeof v === "string");
  const form: CreateForm = { userName: one("userName").trim(), console: one("console") === "on", resetRequired: one("resetRequired") === "on", policies: list("policy") };
  const password = one("password");
  if (form.console && password === "") return showCreateUser(c, { ...form, error: "Enter a console password, or do not give console access." }, 400);
  const created = await iamCall(c, "CreateUser", { UserName: form.userName! });
  if (created.error) return showCreateUser(c, { ...form, error: errorText(created.error) }, 400);
  const userName = created.output!.User!.UserName;
  const problems: string[] = [];
  if (form.console) {
    const profile = await iamCall(c, "CreateLoginProfile", { UserName: userName, Password: password, PasswordResetRequired: form.resetRequired });
    if (profile.error) problems.push(`console password: ${errorText(profile.error)}`);
  }
  for (const arn of form.policies ?? []) {
    const attached = await iamCall(c, "AttachUserPolicy", { UserName: userName, PolicyArn: arn });
    if (attached.error) problems.push(`${arn}: ${errorText(attached.error)}`);
  }
  c.var.session.notice =
    problems.length > 0
      ? { kind: "error", message: `User ${userName} created, but: ${problems.join("; ")}` }
      : { kind: "success", message: form.console ? `User ${userName} created. They can sign in to the console as IAM user ${userName} in account ${c.var.session.principal.accountId}.` : `User ${userName} created.` };
  return c.redirect(userHref(userName), 303);
}

async function userDetails(c: ConsoleContext) {
  const name = c.req.param("name") ?? "";
  const tab = c.req.query("tab") === "groups" ? "groups" : c.req.query("tab") === "security_credentials" ? "security_credentials" : "permissions";
  const got = await iamCall(c, "GetUser", { UserName: name });
  if (got.error || !got.output?.User) {
    return page(
      c,
      <IamPage title={name} session={c.var.session} breadcrumbs={crumbs({ label: name })} notice={{ kind: "error", message: got.error ? errorText(got.error) : "No such user." }}>
        <PageHeader title={name} />
      </IamPage>,
      got.error?.code === "NoSuchEntityException" ? 404 : 502,
    );
  }
  const user = got.output.User;
  const [login, groups] = await Promise.all([iamCall(c, "GetLoginProfile", { UserName: name }), iamCall(c, "ListGroupsForUser", { UserName: name })]);
  const now = c.var.deps.env.now();
  const consoleAccess = login.output?.LoginProfile ? "Enabled" : login.error?.code === "NoSuchEntityException" ? "Disabled" : "-";
  const tabs: [string, string][] = [
    ["permissions", "Permissions"],
    ["groups", `Groups (${groups.output?.Groups.length ?? 0})`],
    ["security_credentials", "Security credentials"],
  ];
  return page(
    c,
    <IamPage title={user.UserName} session={c.var.session} breadcrumbs={crumbs({ label: user.UserName })}>
      <PageHeader
        title={user.UserName}
        actions={
          <form method="get" action={href(`iam/users/${encodeURIComponent(user.UserName)}/delete`)}>
            <button type="submit" class="btn">
              Delete
            </button>
          </form>
        }
      />
      <Container title="Summary">
        <KeyValues
          items={[
            ["ARN", <span class="mono">{user.Arn}</span>],
            ["Console access", consoleAccess],
            ["Created", consoleTime(user.CreateDate)],
            ["Last console sign-in", user.PasswordLastUsed ? consoleTime(user.PasswordLastUsed) : "Never"],
            ["Path", <span class="mono">{user.Path}</span>],
            ["User ID", <span class="mono">{user.UserId}</span>],
            // As IAM Access Analyzer's "Generate policy": the least-privilege policy of what the user did (GET /_localtrail/policy).
            ["Policy from CloudTrail events", <a href={`/_localtrail/policy?principal=${encodeURIComponent(user.Arn)}&since=90d`}>Generate policy</a>],
          ]}
        />
      </Container>
      <nav class="tabs" aria-label="User details">
        {tabs.map(([id, label]) => (
          <a href={userHref(user.UserName, id)} aria-current={tab === id ? "page" : undefined}>
            {label}
          </a>
        ))}
      </nav>
      {tab === "permissions" && <PermissionsTab c={c} user={user} groups={groups.output?.Groups ?? []} />}
      {tab === "groups" && <GroupsTab groups={groups.output?.Groups ?? []} />}
      {tab === "security_credentials" && <CredentialsTab c={c} user={user} consoleAccess={consoleAccess} now={now} />}
    </IamPage>,
  );
}

interface PolicyRow {
  name: string;
  type: string;
  via: string;
}

/** Attached and inline policies, the user's own and those it has through its groups. */
const PermissionsTab = async ({ c, user, groups }: { c: ConsoleContext; user: User; groups: Group[] }) => {
  const [attached, inline, byGroup] = await Promise.all([
    iamCall(c, "ListAttachedUserPolicies", { UserName: user.UserName }),
    iamCall(c, "ListUserPolicies", { UserName: user.UserName }),
    Promise.all(groups.map(async (g) => ({ group: g.GroupName, policies: (await iamCall(c, "ListAttachedGroupPolicies", { GroupName: g.GroupName })).output?.AttachedPolicies ?? [] }))),
  ]);
  const rows: PolicyRow[] = [
    ...(attached.output?.AttachedPolicies ?? []).map((p: AttachedPolicy) => ({ name: p.PolicyName ?? "", type: policyType(p.PolicyArn), via: "Directly" })),
    ...(inline.output?.PolicyNames ?? []).map((n) => ({ name: n, type: "Customer inline", via: "Directly" })),
    ...byGroup.flatMap(({ group, policies }) => policies.map((p) => ({ name: p.PolicyName ?? "", type: policyType(p.PolicyArn), via: `Group ${group}` }))),
  ];
  const error = attached.error ?? inline.error;
  return (
    <Container title="Permissions policies" counter={rows.length} description="Permissions are defined by policies attached to the user directly or through groups.">
      {error && <p class="inline-error">{errorText(error)}</p>}
      <table class="table" aria-label="Permissions policies">
        <thead>
          <tr>
            <th scope="col">Policy name</th>
            <th scope="col">Type</th>
            <th scope="col">Attached via</th>
          </tr>
        </thead>
        <tbody>
          {rows.length === 0 && <EmptyRow columns={3} title="No permissions policies" />}
          {rows.map((r) => (
            <tr>
              <td>{r.name}</td>
              <td>{r.type}</td>
              <td>{r.via}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Container>
  );
};

const GroupsTab: FC<{ groups: Group[] }> = ({ groups }) => (
  <Container title="User groups membership" counter={groups.length}>
    <table class="table" aria-label="Groups">
      <thead>
        <tr>
          <th scope="col">Group name</th>
          <th scope="col">Path</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {groups.length === 0 && <EmptyRow columns={3} title="No groups" />}
        {groups.map((g) => (
          <tr>
            <td>{g.GroupName}</td>
            <td class="mono">{g.Path}</td>
            <td>{consoleTime(g.CreateDate)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </Container>
);

/** Console sign-in and access keys (with their last use, one GetAccessKeyLastUsed per key as the console asks). */
const CredentialsTab = async ({ c, user, consoleAccess, now }: { c: ConsoleContext; user: User; consoleAccess: string; now: Date }) => {
  const keys = await iamCall(c, "ListAccessKeys", { UserName: user.UserName });
  const metadata: AccessKeyMetadata[] = keys.output?.AccessKeyMetadata ?? [];
  const lastUsed = await Promise.all(metadata.map(async (k) => (await iamCall(c, "GetAccessKeyLastUsed", { AccessKeyId: k.AccessKeyId! })).output?.AccessKeyLastUsed));
  const signInUrl = `${new URL(c.req.url).origin}${href("signin")}?account=${c.var.session.principal.accountId}`;
  return (
    <>
      <Container title="Console sign-in">
        <KeyValues
          items={[
            ["Console sign-in link", <span class="mono">{signInUrl}</span>],
            ["Console password", consoleAccess === "Enabled" ? `Enabled${user.PasswordLastUsed ? ` (last used ${ago(user.PasswordLastUsed, now)})` : " (never used)"}` : "Not enabled"],
          ]}
        />
      </Container>
      <Container title="Access keys" counter={metadata.length} description="Use access keys to send programmatic calls to AWS from the AWS CLI, the SDKs or direct API calls.">
        {keys.error && <p class="inline-error">{errorText(keys.error)}</p>}
        <table class="table" aria-label="Access keys">
          <thead>
            <tr>
              <th scope="col">Access key ID</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Last used</th>
              <th scope="col">Last used service</th>
            </tr>
          </thead>
          <tbody>
            {metadata.length === 0 && <EmptyRow columns={5} title="No access keys" />}
            {metadata.map((k, i) => (
              <tr>
                <td class="mono">{k.AccessKeyId}</td>
                <td>
                  <span class={k.Status === "Active" ? "status status-ok" : "status status-off"}>{k.Status}</span>
                </td>
                <td>{consoleTime(k.CreateDate)}</td>
                <td>{lastUsed[i]?.LastUsedDate ? ago(lastUsed[i]!.LastUsedDate, now) : "Never"}</td>
                <td>{lastUsed[i]?.ServiceName && lastUsed[i]!.ServiceName !== "N/A" ? lastUsed[i]!.ServiceName : "-"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Container>
    </>
  );
};

function showDeleteUser(c: ConsoleContext, name: string, error?: string) {
  return page(
    c,
    <IamPage title={`Delete ${name}`} session={c.var.session} breadcrumbs={crumbs({ label: name, href: userHref(name) }, { label: "Delete" })} notice={error ? { kind: "error", message: error } : undefined}>
      <PageHeader title={`Delete ${name}?`} description="Deleting a user removes its console password, access keys, policies and group memberships first, then the user. It cannot be undone." />
      <Container>
        <form method="post" action={href(`iam/users/${encodeURIComponent(name)}/delete`)} class="form">
          <CsrfField session={c.var.session} />
          <div class="field">
            <label for="confirm">
              To confirm deletion, enter the user name <strong class="mono">{name}</strong>
            </label>
            <input id="confirm" name="confirm" type="text" autocomplete="off" spellcheck={false} data-confirm={name} />
          </div>
          <div class="form-actions">
            <a class="btn btn-link" href={userHref(name)}>
              Cancel
            </a>
            <button type="submit" class="btn btn-danger">
              Delete user
            </button>
          </div>
        </form>
      </Container>
    </IamPage>,
    error ? 400 : 200,
  );
}

/**
 * Delete user as the console does it: what DeleteUser refuses to leave behind goes first (login profile,
 * access keys, attached and inline policies, group memberships), each its own recorded call.
 */
async function deleteUser(c: ConsoleContext) {
  const name = c.req.param("name") ?? "";
  const body = await c.req.parseBody();
  if (body.confirm !== name) return showDeleteUser(c, name, "Enter the user name to confirm.");
  const steps: (() => Promise<{ error?: { code: string; message: string } }>)[] = [];
  const login = await iamCall(c, "GetLoginProfile", { UserName: name });
  if (login.output) steps.push(() => iamCall(c, "DeleteLoginProfile", { UserName: name }));
  const keys = (await iamCall(c, "ListAccessKeys", { UserName: name })).output?.AccessKeyMetadata ?? [];
  for (const k of keys) steps.push(() => iamCall(c, "DeleteAccessKey", { UserName: name, AccessKeyId: k.AccessKeyId! }));
  const attached = (await iamCall(c, "ListAttachedUserPolicies", { UserName: name })).output?.AttachedPolicies ?? [];
  for (const p of attached) steps.push(() => iamCall(c, "DetachUserPolicy", { UserName: name, PolicyArn: p.PolicyArn! }));
  const inline = (await iamCall(c, "ListUserPolicies", { UserName: name })).output?.PolicyNames ?? [];
  for (const p of inline) steps.push(() => iamCall(c, "DeleteUserPolicy", { UserName: name, PolicyName: p }));
  const groups = (await iamCall(c, "ListGroupsForUser", { UserName: name })).output?.Groups ?? [];
  for (const g of groups) steps.push(() => iamCall(c, "RemoveUserFromGroup", { UserName: name, GroupName: g.GroupName }));
  steps.push(() => iamCall(c, "DeleteUser", { UserName: name }));
  for (const step of steps) {
    const { error } = await step();
    if (error) return showDeleteUser(c, name, errorText(error));
  }
  c.var.session.notice = { kind: "success", message: `User ${name} deleted.` };
  return c.redirect(href("iam/users"), 303);
}
