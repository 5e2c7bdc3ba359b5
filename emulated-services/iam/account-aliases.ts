import { noSuchEntity } from "./errors.js";
import type { Op } from "./op.js";
import { iamState } from "./state.js";

/** An account has one alias: creating another replaces it. */
export const createAccountAlias: Op<"CreateAccountAlias"> = (input, ctx) => {
  iamState(ctx).accountAliases = [input.AccountAlias];
};

export const listAccountAliases: Op<"ListAccountAliases"> = (_input, ctx) => ({ AccountAliases: [...iamState(ctx).accountAliases], IsTruncated: false });

export const deleteAccountAlias: Op<"DeleteAccountAlias"> = (input, ctx) => {
  const state = iamState(ctx);
  if (!state.accountAliases.includes(input.AccountAlias)) throw noSuchEntity(`The account alias ${input.AccountAlias} cannot be found.`);
  state.accountAliases = [];
};
