import { lambdaState } from "./state.js";
import type { Op } from "./op.js";
import { UNZIPPED_LIMIT } from "./zip-archive.js";

/** The account's quotas (AWS's defaults) and what its functions use in this region. */
export const getAccountSettings: Op<"GetAccountSettings"> = (_input, ctx) => {
  const functions = Object.values(lambdaState(ctx).functions);
  const sizes = new Map<string, number>();
  for (const fn of functions) for (const v of [fn.latest, ...Object.values(fn.versions)]) sizes.set(v.code.blobId, v.code.size);
  return {
    AccountLimit: {
      TotalCodeSize: 80_530_636_800,
      CodeSizeUnzipped: UNZIPPED_LIMIT,
      CodeSizeZipped: 52_428_800,
      ConcurrentExecutions: 1000,
      UnreservedConcurrentExecutions: 1000,
    },
    AccountUsage: { TotalCodeSize: [...sizes.values()].reduce((a, b) => a + b, 0), FunctionCount: functions.length },
  };
};
