import type { Child, FC, PropsWithChildren } from "hono/jsx";
import { CONSOLE_PATH, type ConsoleSession } from "./session.js";

/** A console URL from a path below the console's root: `href("iam/users")`. */
export const href = (path = "") => `${CONSOLE_PATH}/${path}`;

export interface NavItem {
  label: string;
  href: string;
  active?: boolean;
}

export interface NavSection {
  /** The service's name at the top of its side navigation ("IAM", "CloudTrail"). */
  title: string;
  titleHref: string;
  items: NavItem[];
}

export interface Crumb {
  label: string;
  href?: string;
}

export interface Notice {
  kind: "success" | "error" | "info";
  message: string;
}

export interface PageProps {
  /** The document title (before " | localtrail"). */
  title: string;
  session: ConsoleSession;
  /** Which service's link is current in the top bar. */
  service?: "iam" | "cloudtrail";
  nav?: NavSection;
  breadcrumbs?: Crumb[];
  /** The region the page works in; IAM pages say "Global". */
  region?: string;
  notice?: Notice;
}

/** The whole document around a page's body: <!DOCTYPE>, head with the console's CSS and script. */
export const Document: FC<PropsWithChildren<{ title: string; page: string }>> = ({ title, page, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} | localtrail`}</title>
      <link rel="stylesheet" href={href("assets/console.css")} />
      <link rel="icon" href={href("assets/favicon.svg")} type="image/svg+xml" />
      <script type="module" src={href("assets/console.js")}></script>
    </head>
    <body data-page={page}>{children}</body>
  </html>
);

/**
 * The console frame every signed-in page uses: top bar (services, region, account menu with Sign out), the
 * service's side navigation, breadcrumbs, an optional notice, then the page's content.
 */
export const Layout: FC<PropsWithChildren<PageProps>> = (props) => (
  <Document title={props.title} page={props.service ?? "home"}>
    <TopBar session={props.session} service={props.service} region={props.region} />
    <div class={props.nav ? "shell with-nav" : "shell"}>
      {props.nav && <SideNav section={props.nav} />}
      <main class="content" id="main">
        {props.breadcrumbs && <Breadcrumbs crumbs={props.breadcrumbs} />}
        {props.notice && <Flash notice={props.notice} />}
        {props.children}
      </main>
    </div>
  </Document>
);

const REGION_NAMES: Record<string, string> = {
  "us-east-1": "N. Virginia",
  "us-east-2": "Ohio",
  "us-west-1": "N. California",
  "us-west-2": "Oregon",
  "eu-west-1": "Ireland",
  "eu-west-2": "London",
  "eu-west-3": "Paris",
  "eu-central-1": "Frankfurt",
  "eu-north-1": "Stockholm",
  "ap-southeast-1": "Singapore",
  "ap-southeast-2": "Sydney",
  "ap-northeast-1": "Tokyo",
  "ap-south-1": "Mumbai",
  "sa-east-1": "São Paulo",
  "ca-central-1": "Central",
};

/** "N. Virginia" for us-east-1; the code itself for a region without a known name. */
export const regionName = (region: string) => REGION_NAMES[region] ?? region;

/** AWS writes account IDs in the console as 1234-5678-9012. */
export const dashedAccount = (accountId: string) => accountId.replace(/^(\d{4})(\d{4})(\d{4})$/, "$1-$2-$3");

const TopBar: FC<{ session: ConsoleSession; service?: string; region?: string }> = ({ session, service, region }) => {
  const p = session.principal;
  const account = p.accountAlias ?? dashedAccount(p.accountId);
  return (
    <header class="topbar">
      <a class="brand" href={href()} aria-label="Console home">
        <Logo />
        <span>localtrail</span>
      </a>
      <nav class="services" aria-label="Services">
        <a href={href("iam/users")} aria-current={service === "iam" ? "page" : undefined}>
          IAM
        </a>
        <a href={href("cloudtrail/events")} aria-current={service === "cloudtrail" ? "page" : undefined}>
          CloudTrail
        </a>
      </nav>
      <div class="spacer" />
      <span class="region" title={region === "Global" ? "IAM is a global service" : region}>
        {region === "Global" || region === undefined ? "Global" : `${regionName(region)} (${region})`}
      </span>
      <details class="account-menu">
        <summary aria-label="Account menu">
          <span class="who">{p.displayName}</span>
          <span class="at">@ {account}</span>
        </summary>
        <div class="menu" role="menu">
          <dl>
            <dt>Account ID</dt>
            <dd>{dashedAccount(p.accountId)}</dd>
            {p.accountAlias && (
              <>
                <dt>Account alias</dt>
                <dd>{p.accountAlias}</dd>
              </>
            )}
            <dt>{p.type === "Root" ? "Signed in as" : p.type === "IAMUser" ? "IAM user" : "Federated user"}</dt>
            <dd class="arn">{p.arn}</dd>
          </dl>
          <form method="post" action={href("signout")}>
            <CsrfField session={session} />
            <button type="submit" class="btn">
              Sign out
            </button>
          </form>
        </div>
      </details>
    </header>
  );
};

/** A trail of footsteps: the product's mark. */
export const Logo: FC = () => (
  <svg class="logo" viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
    <circle cx="5" cy="18" r="2.4" />
    <circle cx="11" cy="12.5" r="2.4" />
    <circle cx="17" cy="8" r="2.4" />
    <path d="M5 18 L11 12.5 L17 8 L21 4" fill="none" stroke-width="1.6" stroke-dasharray="2 2" />
  </svg>
);

const SideNav: FC<{ section: NavSection }> = ({ section }) => (
  <nav class="sidenav" aria-label={section.title}>
    <a class="sidenav-title" href={section.titleHref}>
      {section.title}
    </a>
    <ul>
      {section.items.map((item) => (
        <li>
          <a href={item.href} aria-current={item.active ? "page" : undefined}>
            {item.label}
          </a>
        </li>
      ))}
    </ul>
  </nav>
);

const Breadcrumbs: FC<{ crumbs: Crumb[] }> = ({ crumbs }) => (
  <nav class="breadcrumbs" aria-label="Breadcrumbs">
    <ol>
      {crumbs.map((c) => (
        <li>{c.href ? <a href={c.href}>{c.label}</a> : <span aria-current="page">{c.label}</span>}</li>
      ))}
    </ol>
  </nav>
);

export const Flash: FC<{ notice: Notice }> = ({ notice }) => (
  <div class={`flash flash-${notice.kind}`} role={notice.kind === "error" ? "alert" : "status"}>
    {notice.message}
  </div>
);

/** Every form a signed-in page posts carries the session's token; the server refuses a POST without it. */
export const CsrfField: FC<{ session: ConsoleSession }> = ({ session }) => <input type="hidden" name="csrf" value={session.csrf} />;

/** A page's title row: the heading, an optional count, a description, and its action buttons on the right. */
export const PageHeader: FC<{ title: string; counter?: number | string; description?: Child; actions?: Child }> = (p) => (
  <div class="page-header">
    <div>
      <h1>
        {p.title}
        {p.counter !== undefined && <span class="counter"> ({p.counter})</span>}
      </h1>
      {p.description && <p class="description">{p.description}</p>}
    </div>
    {p.actions && <div class="actions">{p.actions}</div>}
  </div>
);

/** A white panel with a header, as the AWS console groups a page's parts. */
export const Container: FC<PropsWithChildren<{ title?: string; counter?: number | string; description?: Child; actions?: Child; id?: string }>> = (p) => (
  <section class="container" id={p.id} aria-label={p.title}>
    {p.title && (
      <div class="container-header">
        <div>
          <h2>
            {p.title}
            {p.counter !== undefined && <span class="counter"> ({p.counter})</span>}
          </h2>
          {p.description && <p class="description">{p.description}</p>}
        </div>
        {p.actions && <div class="actions">{p.actions}</div>}
      </div>
    )}
    <div class="container-body">{p.children}</div>
  </section>
);

/** Label/value pairs in columns (a resource's summary). */
export const KeyValues: FC<{ items: [string, Child][] }> = ({ items }) => (
  <dl class="key-values">
    {items.map(([label, value]) => (
      <div>
        <dt>{label}</dt>
        <dd>{value === undefined || value === null || value === "" ? "-" : value}</dd>
      </div>
    ))}
  </dl>
);

/** A table's body when it has no rows. */
export const EmptyRow: FC<{ columns: number; title: string; children?: Child }> = ({ columns, title, children }) => (
  <tr class="empty">
    <td colspan={columns}>
      <strong>{title}</strong>
      {children && <div>{children}</div>}
    </td>
  </tr>
);

/** Emulated time as the console shows it: `March 02, 2026, 09:05:41 (UTC)`. */
export function consoleTime(date: Date | string | undefined): string {
  if (date === undefined) return "-";
  const d = typeof date === "string" ? new Date(date) : date;
  if (Number.isNaN(d.getTime())) return "-";
  const month = d.toLocaleString("en-US", { month: "long", timeZone: "UTC" });
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${month} ${pad(d.getUTCDate())}, ${d.getUTCFullYear()}, ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} (UTC)`;
}

/** "Now", "5 minutes ago", "3 days ago": how IAM's lists show last activity and age. */
export function ago(date: Date | string | undefined, now: Date): string {
  if (date === undefined) return "-";
  const d = typeof date === "string" ? new Date(date) : date;
  const seconds = Math.max(0, Math.round((now.getTime() - d.getTime()) / 1000));
  if (seconds < 60) return "Now";
  const units: [number, string][] = [
    [86400 * 365, "year"],
    [86400 * 30, "month"],
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [size, name] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? "" : "s"} ago`;
  }
  return "Now";
}
