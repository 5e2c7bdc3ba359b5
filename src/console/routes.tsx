/**
 * The console: AWS Management Console pages under /_localtrail/console/ (a path no S3 bucket can own: bucket
 * names have no `_`), and the sign-in federation endpoint. It is a client of the emulator: every action is an
 * AWS API call with the signed-in principal's console credentials through the pipeline, recorded and
 * enforced like a CLI call (design.md, "Where new surfaces enter").
 *
 * Building a page (how the IAM pages here and the CloudTrail pages do it):
 * - Routes are registered on the console's Hono app (`Hono<ConsoleEnv>`) with absolute paths under
 *   CONSOLE_PATH, in an `addXxxRoutes(app)` function called below, before the not-found route. Every route
 *   but sign-in and the assets sits behind the session middleware: `c.var.session` is the signed-in session
 *   (a signed-out GET is redirected to sign-in), `c.var.deps` the engine.
 * - `awsCall(c, { service, operation, input, region? })` (aws-call.ts) makes one AWS call as the session's
 *   principal; it resolves to `{ output }` or `{ error }` (an AwsError: show `error.code`/`error.message`).
 * - `page(c, <Layout ...>...</Layout>)` (render.ts, layout.tsx) answers the document: `Layout` is the frame
 *   (top bar with services and account menu, `nav` side navigation, `breadcrumbs`, a `notice`);
 *   `PageHeader`, `Container`, `KeyValues`, `EmptyRow`, `consoleTime`, `ago` are its building blocks, and
 *   console.css styles plain tables (`<table class="table">`), forms (`.field`, `.btn`, `.btn-primary`).
 * - Every POST form carries `<CsrfField session={c.var.session} />`; the middleware refuses a POST without
 *   the session's token (a `fetch` may send it as the `x-csrf-token` header instead).
 * - Hono's JSX escapes every string: never build markup from strings (no `raw`, no
 *   `dangerouslySetInnerHTML` with user data). The CSP forbids inline scripts and style attributes.
 * - Browser behaviour goes in src/console/client/ (bundled with esbuild into console.js, registered by the
 *   page's `<body data-page>` in client/main.ts); library CSS is imported there and bundled into console.css.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { HttpBindings } from "@hono/node-server";
import type { ConsoleDeps, ConsoleEnv } from "./context.js";
import { CONSOLE_PATH, SESSION_COOKIE, sameToken } from "./session.js";
import { consoleAssets, FAVICON } from "./assets.js";
import { addSignInRoutes, safeConsoleTarget } from "./sign-in.js";
import { addFederationRoutes } from "./federation.js";
import { addIamRoutes } from "./iam/routes.js";
import { addCloudTrailRoutes } from "./cloudtrail/routes.js";
import { Layout, PageHeader, href } from "./layout.js";
import { Home } from "./home.js";
import { page } from "./render.js";

export type { ConsoleEnv, ConsoleContext } from "./context.js";

/** Adds the console and the federation endpoint to the emulator's app, before its AWS catch-all route. */
export function addConsoleRoutes(app: Hono<{ Bindings: HttpBindings }>, deps: ConsoleDeps): void {
  const consoleApp = new Hono<ConsoleEnv>();
  const withDeps: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
    c.set("deps", deps);
    await next();
  };
  consoleApp.use(CONSOLE_PATH, withDeps);
  consoleApp.use(`${CONSOLE_PATH}/*`, withDeps);
  addFederationRoutes(consoleApp, deps);

  consoleApp.get(`${CONSOLE_PATH}/assets/console.js`, async (c) => {
    c.header("Cache-Control", "no-cache");
    c.header("X-Content-Type-Options", "nosniff");
    return c.body((await consoleAssets()).js, 200, { "Content-Type": "text/javascript; charset=utf-8" });
  });
  consoleApp.get(`${CONSOLE_PATH}/assets/console.css`, async (c) => {
    c.header("Cache-Control", "no-cache");
    c.header("X-Content-Type-Options", "nosniff");
    return c.body((await consoleAssets()).css, 200, { "Content-Type": "text/css; charset=utf-8" });
  });
  consoleApp.get(`${CONSOLE_PATH}/assets/favicon.svg`, (c) => c.body(FAVICON, 200, { "Content-Type": "image/svg+xml" }));
  consoleApp.get(CONSOLE_PATH, (c) => c.redirect(href(), 301));

  consoleApp.use(`${CONSOLE_PATH}/*`, requireSession);
  addSignInRoutes(consoleApp);
  consoleApp.get(href(), (c) => page(c, <Home session={c.var.session} />));
  addIamRoutes(consoleApp);
  addCloudTrailRoutes(consoleApp);
  consoleApp.all(`${CONSOLE_PATH}/*`, (c) =>
    page(
      c,
      <Layout title="Page not found" session={c.var.session}>
        <PageHeader title="Page not found" description="The console has no page at this address." />
        <p>
          <a href={href()}>Go to the console home</a>
        </p>
      </Layout>,
      404,
    ),
  );
  app.route("/", consoleApp);
}

/** Paths open without a session: the sign-in page itself and the assets it loads. */
const open = (path: string) => path === `${CONSOLE_PATH}/signin` || path.startsWith(`${CONSOLE_PATH}/assets/`);

/**
 * Signed-out requests go to sign-in (a GET comes back to where it was going); a POST must carry the session's
 * CSRF token (form field `csrf` or header `x-csrf-token`), else it is refused with 403 and nothing happens.
 */
const requireSession: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  if (open(c.req.path)) return next();
  const session = c.var.deps.sessions.find(getCookie(c, SESSION_COOKIE));
  if (!session) {
    const back = c.req.method === "GET" ? `?redirect_uri=${encodeURIComponent(safeConsoleTarget(c.req.path + (new URL(c.req.url).search || "")))}` : "";
    return c.redirect(`${href("signin")}${back}`, 303);
  }
  c.set("session", session);
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    const type = c.req.header("content-type") ?? "";
    const body = type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data") ? await c.req.parseBody() : {};
    if (!sameToken(body.csrf ?? c.req.header("x-csrf-token"), session.csrf)) {
      return page(
        c,
        <Layout title="Request refused" session={session}>
          <PageHeader title="Request refused" description="The form was not sent by this console (its security token is missing or wrong). Nothing was changed." />
          <p>
            <a href={href()}>Go to the console home</a>
          </p>
        </Layout>,
        403,
      );
    }
  }
  await next();
};
