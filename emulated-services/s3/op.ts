import type { Operations } from "../../src/generated/types/s3.js";
import type { HandlerOf } from "../../src/types/service.js";

/** An S3 handler, typed by the model: `const putObject: Op<"PutObject"> = async (input, ctx) => ...`. */
export type Op<K extends keyof Operations> = HandlerOf<Operations, K>;
