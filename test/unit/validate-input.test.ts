import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/protocols/models.js";
import { validateInput } from "../../src/protocols/validate-input.js";
import { AwsError } from "../../src/types/aws-error.js";

const iam = loadModel("iam");
const style = { code: "ValidationError", recordedCode: "ValidationException", constraints: true };

function problem(input: Record<string, unknown>, shape = "CreateUserRequest"): AwsError | undefined {
  try {
    validateInput(iam, shape, input, style);
    return undefined;
  } catch (e) {
    return e as AwsError;
  }
}

describe("validateInput", () => {
  it("accepts valid input", () => {
    expect(problem({ UserName: "Mary", Path: "/team/" })).toBeUndefined();
  });

  it("reports every violation in AWS's words", () => {
    const e = problem({ UserName: "x".repeat(65) + "!" });
    expect(e?.code).toBe("ValidationError");
    expect(e?.recordedCode).toBe("ValidationException");
    expect(e?.message).toBe(
      "2 validation errors detected: " +
        `Value '${"x".repeat(65)}!' at 'userName' failed to satisfy constraint: Member must have length less than or equal to 64; ` +
        `Value '${"x".repeat(65)}!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
    );
  });

  it("reports missing required members and ranges", () => {
    expect(problem({})?.message).toBe("1 validation error detected: Value null at 'userName' failed to satisfy constraint: Member must not be null");
    expect(problem({ MaxItems: 0 }, "ListUsersRequest")?.message).toMatch(/at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1/);
  });
});
