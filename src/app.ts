import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { Hono } from "hono";
import type { HttpBindings } from "@hono/node-server";
import type { Config } from "./config.js";
import type { Ids, ServiceDefinition, ServiceEnv } from "./types/service.js";
import { StateStore, type StateView } from "./state/store.js";
import { FileBlobStore, MemoryBlobStore, type BlobStore } from "./state/blob-store.js";
import { EventLog } from "./event-log/event-log.js";
import { FileSegments, MemorySegments } from "./event-log/segment-files.js";
import { CredentialResolver } from "./auth/identity.js";
import { sigV4Scheme } from "./auth/sigv4.js";
import type { AuthScheme } from "./auth/auth-scheme.js";
import { ServiceCatalog } from "./gateway/resolve-service.js";
import { registerServices, registeredMetadata } from "./registry.js";
import { buildPipeline, runPipeline } from "./pipeline.js";
import type { Step } from "./types/step.js";
import type { ObjectReader } from "./types/object-reader.js";
import { newCall } from "./incoming-call.js";
import { addControlRoutes } from "./control/control-routes.js";
import { importLogFile } from "./control/import-log-files.js";
import { OneAtATime } from "./control/one-at-a-time.js";
import { randomIds } from "./ids.js";
import { Clock } from "./clock.js";
import { internalCalls } from "./internal-calls.js";
import { VERSION } from "./version.js";
import { Authorizer } from "./enforcement/authorizer.js";
import { generatePolicy } from "./enforcement/generate-policy.js";
import { addPolicyRoute } from "./control/policy-route.js";
import { startInsights } from "./insights/insights-engine.js";
import type { InsightType } from "./types/insights.js";
import { addConsoleRoutes } from "./console/routes.js";
import { ConsoleSessions } from "./console/session.js";
import type { SignInBackend } from "./types/sign-in.js";
import { addEventsRoute } from "./control/events-route.js";
import { addQueryRoute } from "./control/query-route.js";
import { LocalOidcIssuer } from "./control/oidc-issuer.js";
import { addOidcIssuerRoutes } from "./control/oidc-route.js";
import { SqlEngine } from "./query/sql-engine.js";
import { ColumnarStore } from "./query/columnar-store.js";

export interface LocaltrailOptions {
  services: ServiceDefinition[];
  /** Extra signature schemes beyond SigV4 (S3's SigV2). */
  authSchemes?: AuthScheme[];
  /** The machine's time (tests pin it); emulated time starts from it and follows POST /_localtrail/clock. */
  now?: () => Date;
  ids?: Ids;
}

/** A running emulator without its socket: the HTTP handler and the stores behind it. */
export interface Localtrail {
  app: Hono<{ Bindings: HttpBindings }>;
  env: ServiceEnv;
  store: StateStore;
  eventLog: EventLog;
  clock: Clock;
  /** S3's objects as the engine may read them (a trail's delivered files); undefined without S3. */
  objects?: ObjectReader;
  reset(): Promise<void>;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Builds the emulator: opens the data dir (or memory when ephemeral), registers the services, and wires
 * the services' credential sources into auth, the only place the engine needs a service's knowledge.
 */
export async function createLocaltrail(config: Config, options: LocaltrailOptions): Promise<Localtrail> {
  const ids = options.ids ?? randomIds;
  const dataDir = config.ephemeral ? undefined : resolve(config.dataDir);
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const clock = new Clock(options.now, dataDir && join(dataDir, "clock.json"));
  const now = () => clock.now();

  const store = new StateStore(dataDir && join(dataDir, "state"));
  await store.open();
  const blobs: BlobStore = dataDir ? new FileBlobStore(join(dataDir, "blobs")) : new MemoryBlobStore();
  const eventLog = new EventLog(dataDir ? new FileSegments(join(dataDir, "events")) : new MemorySegments(), {
    retentionDays: config.retentionDays,
    now,
    tokenSecret: secretKey(dataDir),
  });
  eventLog.open();
  // A long-running emulator forgets old events as time passes, not only at start.
  const retention = setInterval(() => eventLog.enforceRetention(), 3_600_000);
  retention.unref();
  // A clock moved forward ages the history at once.
  clock.onChange(() => eventLog.enforceRetention());

  // SQL over the history: DuckDB is loaded on the first query only.
  const sql = new SqlEngine(
    {
      live: () => eventLog.sqlSource(),
      columnarGlob: dataDir && join(dataDir, "columnar", "AWSLogs", "**", "*.parquet"),
      readableDirs: dataDir ? [join(dataDir, "events"), join(dataDir, "columnar"), join(dataDir, "tmp")] : [],
      spillDir: dataDir && join(dataDir, "tmp", "duckdb"),
    },
    now,
  );
  const columnar = dataDir ? new ColumnarStore(dataDir, sql, now, (n) => ids.alnum(n)) : undefined;

  const services = registerServices(options.services);
  let steps: Step[] = [];
  const invoke = internalCalls(() => steps, services, ids, now);
  const oidcIssuer = new LocalOidcIssuer(dataDir);
  const env: ServiceEnv = { ids, now, clock, invoke, events: eventLog, sql, blobs, endpoint: `http://${config.host}:${config.port}`, dataDir, config, webIdentityIssuer: oidcIssuer };
  const credentialSources = options.services.flatMap((s) => (s.credentialSource ? [s.credentialSource(store)] : []));
  const runtimes = options.services.flatMap((s) => (s.start ? [s.start({ store, env })] : []));
  const insightsScopes = options.services.flatMap((s) => (s.insightsScope ? [s.insightsScope(store)] : []));
  const insights = startInsights({
    history: eventLog,
    dataDir,
    clock,
    ids,
    scope: { enabledTypes: (accountId, region) => new Set<InsightType>(insightsScopes.flatMap((s) => [...s.enabledTypes(accountId, region)])) },
    append: (event) => eventLog.append(event),
  });
  // Enforcement and policy generation only read the services' state: not through a call's view, whose
  // reads would count as the call's writes.
  const reader: StateView = { get: (service, accountId, region, init) => store.get(service, accountId, region, init), table: (service, name) => store.table(service, name) };
  const authorizer = new Authorizer(services.values(), reader);
  const credentials = new CredentialResolver(() => credentialSources);
  steps = buildPipeline({
    gateway: { catalog: new ServiceCatalog(registeredMetadata(services)), services, ids, config },
    auth: {
      schemes: [sigV4Scheme, ...(options.authSchemes ?? [])],
      credentials,
      verify: config.verify,
      clock,
      defaultRegion: config.region,
    },
    recorder: { eventLog, ids, now },
    store,
    env,
    enforcement: config.enforceIam === "off" ? undefined : { mode: config.enforceIam, authorizer, debug: config.debug, log: (line) => process.stderr.write(`${line}\n`) },
    crossAccount: authorizer,
  });

  const consoleSessions = new ConsoleSessions(now);
  const startedAt = clock.machineNow();
  const app = new Hono<{ Bindings: HttpBindings }>();
  const localtrail: Localtrail = {
    app,
    env,
    store,
    eventLog,
    clock,
    objects: options.services.find((s) => s.objectReader)?.objectReader?.(store, blobs, now),
    async reset() {
      await insights.reset();
      for (const runtime of runtimes) await runtime.reset?.();
      await Promise.all([store.reset(), eventLog.reset(), blobs.reset()]);
      columnar?.reset();
      authorizer.principals.invalidate();
      consoleSessions.clear();
      clock.reset();
    },
    async flush() {
      // Insights events of the minutes that have passed first: trails then deliver them too.
      await insights.flush();
      for (const runtime of runtimes) await runtime.flush?.();
    },
    async close() {
      clearInterval(retention);
      await insights.close();
      for (const runtime of runtimes) await runtime.close?.();
      await eventLog.close();
      await sql.close();
      await store.persistAll();
    },
  };
  // Imports and resets change the history wholesale, so they take turns: two imports of one file cannot
  // both add its records, and a reset never lands in the middle of an import.
  const historyChanges = new OneAtATime();
  addControlRoutes(app, {
    version: VERSION,
    startedAt,
    services: [...services.keys()],
    reset: () => historyChanges.run(() => localtrail.reset()),
    clock,
    flush: () => localtrail.flush(),
    importLogFile: (body, store) =>
      // Without a data dir there is no columnar store: the event log holds imported history too.
      historyChanges.run(() => (store === "columnar" && columnar ? columnar.importLogFile(body) : importLogFile(body, eventLog, options.services))),
  });
  addQueryRoute(app, { query: (text, nextToken) => sql.query(text, { nextToken }) });
  addPolicyRoute(app, {
    now,
    generate: (principal, since) => generatePolicy({ history: eventLog, services: services.values(), state: reader, principal, since }),
  });
  addEventsRoute(app, { eventLog, now });
  addOidcIssuerRoutes(app, oidcIssuer, now);
  addConsoleRoutes(app, { env, signIn: signInBackend(options.services, { store, env }), history: eventLog, credentials, sessions: consoleSessions, objects: localtrail.objects });
  app.all("*", (c) => runPipeline(steps, newCall(c.env.incoming, ids.uuid(), now(), config.region)));
  return localtrail;
}

/** Console sign-in's backend, merged from the parts the services give (IAM: passwords, aliases; STS: sessions). */
function signInBackend(services: ServiceDefinition[], deps: { store: StateStore; env: ServiceEnv }): SignInBackend {
  const parts = Object.assign({}, ...services.map((s) => s.signIn?.(deps) ?? {})) as Partial<SignInBackend>;
  const missing = (what: string) => () => {
    throw new Error(`console sign-in: no emulated service provides ${what}`);
  };
  return {
    accountOfAlias: parts.accountOfAlias ?? (() => undefined),
    checkUserPassword: parts.checkUserPassword ?? (async () => ({ outcome: "unknownUser" })),
    issueConsoleCredentials: parts.issueConsoleCredentials ?? missing("console credentials (STS)"),
  };
}

/** The key that signs LookupEvents NextTokens, kept in the data dir so tokens outlive a restart. */
function secretKey(dataDir: string | undefined): Buffer {
  if (!dataDir) return randomBytes(32);
  const path = join(dataDir, "token.key");
  if (existsSync(path)) {
    const key = readFileSync(path);
    if (key.length === 32) return key;
  }
  const key = randomBytes(32);
  writeFileSync(path, key, { mode: 0o600 });
  return key;
}
