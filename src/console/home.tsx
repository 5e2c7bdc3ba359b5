import type { FC } from "hono/jsx";
import type { ConsoleSession } from "./session.js";
import { Container, KeyValues, Layout, PageHeader, dashedAccount, href } from "./layout.js";

const SERVICES = [
  {
    name: "IAM",
    href: href("iam/users"),
    summary: "Manage access to AWS resources: users, their console passwords and access keys, roles and policies.",
    links: [
      ["Users", href("iam/users")],
      ["Roles", href("iam/roles")],
    ],
  },
  {
    name: "CloudTrail",
    href: href("cloudtrail/events"),
    summary: "See who did what, when and from where: every call made here, from this console, the CLI or an SDK.",
    links: [
      ["Event history", href("cloudtrail/events")],
      ["Trails", href("cloudtrail/trails")],
    ],
  },
] as const;

/** Console Home: who is signed in, and the services this console has. */
export const Home: FC<{ session: ConsoleSession }> = ({ session }) => {
  const p = session.principal;
  return (
    <Layout title="Console Home" session={session}>
      <PageHeader title="Console Home" description="localtrail emulates these AWS services locally; what you do here is recorded as CloudTrail events." />
      <div class="grid-2">
        {SERVICES.map((s) => (
          <Container title={s.name}>
            <p>{s.summary}</p>
            <ul class="link-list">
              {s.links.map(([label, target]) => (
                <li>
                  <a href={target}>{label}</a>
                </li>
              ))}
            </ul>
          </Container>
        ))}
      </div>
      <Container title="Signed in">
        <KeyValues
          items={[
            ["Principal", p.displayName],
            ["ARN", <span class="mono">{p.arn}</span>],
            ["Account ID", dashedAccount(p.accountId)],
            ["Account alias", p.accountAlias],
          ]}
        />
      </Container>
    </Layout>
  );
};
