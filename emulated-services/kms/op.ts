import type { Operations } from "../../src/generated/types/kms.js";
import type { HandlerOf } from "../../src/types/service.js";

/** A KMS handler, typed by the model: `const createKey: Op<"CreateKey"> = (input, ctx) => ...`. */
export type Op<K extends keyof Operations> = HandlerOf<Operations, K>;
