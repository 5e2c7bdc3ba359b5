import type { ServiceEnv } from "../../src/types/service.js";
import type { BusEvent } from "./runtime/bus-event.js";
import { eventsRuntime } from "./runtime/events-runtime.js";

/**
 * What other services may ask EventBridge: put an AWS service's event on an account's default bus (S3's
 * "Object Created"), as AWS services do without a PutEvents call. Asynchronous: the caller never waits.
 */
export function putServiceEvent(env: ServiceEnv, accountId: string, region: string, event: Omit<BusEvent, "version" | "id" | "account" | "region">): void {
  const runtime = eventsRuntime(env);
  setImmediate(() => void runtime.publish({ accountId, region, bus: "default", event: { version: "0", id: env.ids.uuid(), account: accountId, region, ...event } }));
}
