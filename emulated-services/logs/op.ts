import type { Operations } from "../../src/generated/types/logs.js";
import type { HandlerOf } from "../../src/types/service.js";

/** A CloudWatch Logs handler, typed by the model. */
export type Op<K extends keyof Operations> = HandlerOf<Operations, K>;
