import type { Child, FC } from "hono/jsx";
import type { Operations } from "../../generated/types/cloudtrail.js";
import type { InternalCallOutcome } from "../../internal-calls.js";
import { awsCall } from "../aws-call.js";
import type { ConsoleContext } from "../context.js";
import { Layout, href, type Crumb, type Notice } from "../layout.js";
import { takeNotice, type ConsoleSession } from "../session.js";
import { cloudTrailNav, type CloudTrailPage } from "./nav.js";

/** A CloudTrail call as the session's principal, typed by CloudTrail's model, in the console's region. */
export function ctCall<K extends keyof Operations>(c: ConsoleContext, operation: K, input: Operations[K]["input"]): Promise<InternalCallOutcome<Operations[K]["output"]>> {
  return awsCall<Operations[K]["output"]>(c, { service: "cloudtrail", operation, input, region: consoleRegion(c) });
}

/** The region the CloudTrail pages work in: the emulator's default region (the console's Region selector). */
export const consoleRegion = (c: ConsoleContext) => c.var.deps.env.config.region;

/** An error as the console's red banner shows it. */
export const errorText = (e: { code: string; message: string }) => `${e.code}: ${e.message}`;

/** The frame of every CloudTrail page: CloudTrail's navigation, breadcrumbs from "CloudTrail", the region. */
export const CloudTrailFrame: FC<{ c: ConsoleContext; title: string; current: CloudTrailPage; crumbs: Crumb[]; notice?: Notice; children?: Child }> = (p) => {
  const session: ConsoleSession = p.c.var.session;
  return (
    <Layout
      title={p.title}
      session={session}
      service="cloudtrail"
      region={consoleRegion(p.c)}
      nav={cloudTrailNav(p.current)}
      breadcrumbs={[{ label: "CloudTrail", href: href("cloudtrail/events") }, ...p.crumbs]}
      notice={p.notice ?? takeNotice(session)}
    >
      {p.children}
    </Layout>
  );
};
