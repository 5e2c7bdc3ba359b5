import type { Operations } from "../../src/generated/types/ec2.js";
import type { HandlerOf } from "../../src/types/service.js";

/** An EC2 handler, typed by the model: `const createVpc: Op<"CreateVpc"> = (input, ctx) => ...`. */
export type Op<K extends keyof Operations> = HandlerOf<Operations, K>;
