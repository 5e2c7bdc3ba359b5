import type { CallContext } from "../../src/types/service.js";
import { revisionMismatch } from "./errors.js";

/** PreconditionFailed when the client read an older revision than the one it changes (RevisionId is optional). */
export function checkRevision(current: { revisionId: string }, revisionId: string | undefined): void {
  if (revisionId !== undefined && revisionId !== current.revisionId) throw revisionMismatch();
}

/** A change of code or configuration: a new RevisionId and LastModified. */
export function changed(ctx: CallContext, config: { lastModified: string; revisionId: string }): void {
  config.lastModified = ctx.now.toISOString();
  config.revisionId = ctx.env.ids.uuid();
}
