import type { Operations } from "../../src/generated/types/iam.js";
import type { HandlerOf } from "../../src/types/service.js";

/** An IAM handler, typed by the model: `const createUser: Op<"CreateUser"> = (input, ctx) => ...`. */
export type Op<K extends keyof Operations> = HandlerOf<Operations, K>;
