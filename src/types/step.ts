import type { Call } from "./request-context.js";

/** One step of the pipeline: it reads and fills the call, and may run code around the steps after it. */
export type Step = (call: Call, next: () => Promise<void>) => Promise<void>;
