import type { Context } from "hono";
import type { HttpBindings } from "@hono/node-server";
import type { ServiceEnv } from "../types/service.js";
import type { SignInBackend } from "../types/sign-in.js";
import type { StoredEvent } from "../event-log/event-history.js";
import type { CredentialResolver } from "../auth/identity.js";
import type { ObjectReader } from "../types/object-reader.js";
import type { ConsoleSession, ConsoleSessions } from "./session.js";

/** What the console is built on: the engine's call path, sign-in's services, the history, its sessions. */
export interface ConsoleDeps {
  env: ServiceEnv;
  signIn: SignInBackend;
  /** Where sign-in events are appended, as the recorder appends a call's record. */
  history: { append(event: StoredEvent): Promise<void> };
  /** Resolves the credentials a federation broker presents (the same resolver auth uses). */
  credentials: CredentialResolver;
  sessions: ConsoleSessions;
  /** S3's objects, read by the CloudTrail console's Validate as `aws cloudtrail validate-logs` reads them. */
  objects?: ObjectReader;
}

/** Hono's environment for console routes: `c.var.deps` always, `c.var.session` behind sign-in. */
export type ConsoleEnv = { Bindings: HttpBindings; Variables: { deps: ConsoleDeps; session: ConsoleSession } };
export type ConsoleContext = Context<ConsoleEnv>;

/** The browser's address as CloudTrail writes it (IPv4-mapped IPv6 as IPv4). */
export function browserAddress(c: { env: HttpBindings }): string {
  const address = c.env.incoming.socket.remoteAddress ?? "";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
