import { describe, expect, it } from "vitest";
import { logFileKey } from "../../src/delivery/log-file-key.js";
import { randomIds } from "../../src/ids.js";

describe("log file keys", () => {
  it("is the key of AWS's documented example", () => {
    expect(logFileKey({ accountId: "111122223333", region: "us-east-2" }, new Date("2015-08-01T02:10:41Z"), "Mu0KsOhtH1ar15ZZ")).toBe(
      "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz",
    );
  });

  it("joins the trail's prefix with one slash and puts an organization's id after AWSLogs/", () => {
    const at = new Date("2026-01-05T03:04:59.999Z");
    expect(logFileKey({ prefix: "team/audit", accountId: "111122223333", region: "eu-west-1" }, at, "abcdefghij012345")).toBe(
      "team/audit/AWSLogs/111122223333/CloudTrail/eu-west-1/2026/01/05/111122223333_CloudTrail_eu-west-1_20260105T0304Z_abcdefghij012345.json.gz",
    );
    expect(logFileKey({ orgId: "o-exampleorgid", accountId: "111122223333", region: "us-east-1" }, at, "ABCDEFGHIJ012345")).toBe(
      "AWSLogs/o-exampleorgid/111122223333/CloudTrail/us-east-1/2026/01/05/111122223333_CloudTrail_us-east-1_20260105T0304Z_ABCDEFGHIJ012345.json.gz",
    );
  });

  it("names and files by the UTC delivery time, to the minute", () => {
    // Already the new year in Tokyo, whose events these are: the UTC date decides.
    expect(logFileKey({ accountId: "111122223333", region: "ap-northeast-1" }, new Date("2026-01-01T08:59:59+09:00"), "0123456789abcdef")).toBe(
      "AWSLogs/111122223333/CloudTrail/ap-northeast-1/2025/12/31/111122223333_CloudTrail_ap-northeast-1_20251231T2359Z_0123456789abcdef.json.gz",
    );
  });

  it("takes 16 random letters and digits as the unique part, and nothing else", () => {
    const key = logFileKey({ accountId: "111122223333", region: "us-east-1" }, new Date(), randomIds.alnum(16));
    expect(key).toMatch(/^AWSLogs\/111122223333\/CloudTrail\/us-east-1\/\d{4}\/\d\d\/\d\d\/111122223333_CloudTrail_us-east-1_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/);
    expect(() => logFileKey({ accountId: "111122223333", region: "us-east-1" }, new Date(), "short")).toThrow();
    expect(() => logFileKey({ accountId: "111122223333", region: "us-east-1" }, new Date(), "../../etc/passwd")).toThrow();
  });

  it("files Insights events in their own folder", () => {
    expect(logFileKey({ accountId: "111122223333", region: "us-east-1" }, new Date("2026-03-02T10:20:00Z"), "0123456789abcdef", "CloudTrail-Insight")).toBe(
      "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2026/03/02/111122223333_CloudTrail-Insight_us-east-1_20260302T1020Z_0123456789abcdef.json.gz",
    );
  });
});
