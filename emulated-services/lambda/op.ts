import type { Operations } from "../../src/generated/types/lambda.js";
import type { HandlerOf } from "../../src/types/service.js";

/** A Lambda handler, typed by the model: `const createFunction: Op<"CreateFunction"> = (input, ctx) => ...`. */
export type Op<K extends keyof Operations> = HandlerOf<Operations, K>;
