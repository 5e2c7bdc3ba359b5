import type { CallContext, OperationDef } from "../../src/types/service.js";
import { dryRunOperation } from "./errors.js";

/**
 * DryRun: EC2 checks the request as if it ran it and answers DryRunOperation (412) when it would have
 * succeeded, changing nothing. The handler runs against a private copy of the state, so its own checks
 * (a missing VPC, a duplicate name) still answer with their errors.
 */
export function withDryRun(operation: OperationDef<unknown, unknown>): OperationDef<unknown, unknown> {
  const { handler } = operation;
  return {
    ...operation,
    handler: async (input, ctx) => {
      if ((input as { DryRun?: boolean } | undefined)?.DryRun !== true) return handler(input, ctx);
      await handler(input, sandbox(ctx));
      throw dryRunOperation();
    },
  };
}

function sandbox(ctx: CallContext): CallContext {
  const copies = new Map<string, unknown>();
  return {
    ...ctx,
    state: {
      get<T>(service: string, accountId: string, region: string, init: () => T): T {
        const key = `${service}/${accountId}/${region}`;
        if (!copies.has(key)) copies.set(key, structuredClone(ctx.state.get(service, accountId, region, init)));
        return copies.get(key) as T;
      },
      table: ctx.state.table,
    },
  };
}
