import type { StateView } from "../../src/state/store.js";
import { GLOBAL_REGION } from "../../src/state/store.js";
import type { Caller } from "../../src/types/caller.js";

/** Temporary credentials STS issued, by access key id, with the caller they stand for. */
export interface StoredSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
  caller: Caller;
}

export interface StsState {
  sessions: Record<string, StoredSession>;
}

export function stsStateOf(state: StateView, accountId: string): StsState {
  return state.get("sts", accountId, GLOBAL_REGION, () => ({ sessions: {} }));
}
