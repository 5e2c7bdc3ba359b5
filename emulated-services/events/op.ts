import type { Operations } from "../../src/generated/types/events.js";
import type { HandlerOf } from "../../src/types/service.js";

/** An EventBridge handler, typed by the model. */
export type Op<K extends keyof Operations> = HandlerOf<Operations, K>;
