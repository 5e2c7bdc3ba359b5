import type { Operations } from "../../src/generated/types/sts.js";
import type { HandlerOf } from "../../src/types/service.js";

export type Op<K extends keyof Operations> = HandlerOf<Operations, K>;
