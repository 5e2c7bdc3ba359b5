import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig, type Config } from "../../src/config.js";

describe("parseConfig", () => {
  it("defaults to the runtime contract", () => {
    expect(parseConfig([], {})).toEqual({
      port: 4566,
      host: "127.0.0.1",
      dataDir: "./.localtrail",
      ephemeral: false,
      region: "us-east-1",
      verify: true,
      deliveryInterval: 300,
      digestInterval: 3600,
      retentionDays: 90,
      s3Hostnames: [],
      enforceIam: "off",
      debug: false,
      rootPassword: "test",
      signinRegion: "us-east-1",
      quiet: false,
      logFormat: "text",
    } satisfies Config);
  });

  it("reads the console's root password and sign-in region", () => {
    expect(parseConfig(["--root-password", "s3cret!", "--signin-region", "eu-north-1"], {})).toMatchObject({ rootPassword: "s3cret!", signinRegion: "eu-north-1" });
    expect(parseConfig([], { LOCALTRAIL_ROOT_PASSWORD: "from-env", LOCALTRAIL_SIGNIN_REGION: "us-east-2" })).toMatchObject({ rootPassword: "from-env", signinRegion: "us-east-2" });
    expect(() => parseConfig(["--root-password", ""], {})).toThrow(/--root-password/);
    expect(() => parseConfig(["--signin-region", "moon"], {})).toThrow(/--signin-region/);
  });

  it("reads --enforce-iam with an optional mode, and LOCALTRAIL_ENFORCE_IAM", () => {
    expect(parseConfig(["--enforce-iam"], {})).toMatchObject({ enforceIam: "on" });
    expect(parseConfig(["--enforce-iam", "--port", "5000"], {})).toMatchObject({ enforceIam: "on", port: 5000 });
    expect(parseConfig(["--enforce-iam", "soft"], {})).toMatchObject({ enforceIam: "soft" });
    expect(parseConfig(["--enforce-iam=soft", "--debug"], {})).toMatchObject({ enforceIam: "soft", debug: true });
    expect(parseConfig([], { LOCALTRAIL_ENFORCE_IAM: "1" })).toMatchObject({ enforceIam: "on" });
    expect(parseConfig([], { LOCALTRAIL_ENFORCE_IAM: "soft", LOCALTRAIL_DEBUG: "1" })).toMatchObject({ enforceIam: "soft", debug: true });
    expect(parseConfig(["--enforce-iam", "off"], { LOCALTRAIL_ENFORCE_IAM: "1" })).toMatchObject({ enforceIam: "off" });
    expect(() => parseConfig(["--enforce-iam=maybe"], {})).toThrow(/--enforce-iam/);
  });

  it("reads LOCALTRAIL_* variables and lets flags win", () => {
    const env = { LOCALTRAIL_PORT: "5000", LOCALTRAIL_HOST: "0.0.0.0", LOCALTRAIL_EPHEMERAL: "1", LOCALTRAIL_NO_VERIFY: "1", LOCALTRAIL_REGION: "eu-west-1" };
    expect(parseConfig([], env)).toMatchObject({ port: 5000, host: "0.0.0.0", ephemeral: true, verify: false, region: "eu-west-1" });
    expect(parseConfig(["--port", "6000", "--verify", "--region", "ap-south-1"], env)).toMatchObject({ port: 6000, verify: true, region: "ap-south-1" });
    expect(parseConfig(["--no-verify", "--data-dir", "/tmp/x"], {})).toMatchObject({ verify: false, dataDir: "/tmp/x" });
    expect(parseConfig([], { LOCALTRAIL_S3_HOSTNAME: "S3.Example.test, other.test" })).toMatchObject({ s3Hostnames: ["s3.example.test", "other.test"] });
  });

  it("answers --help and --version", () => {
    expect(parseConfig(["--help"], {})).toBe("help");
    expect(parseConfig(["-v"], {})).toBe("version");
  });

  it("rejects bad values with a message naming the flag", () => {
    expect(() => parseConfig(["--port", "70000"], {})).toThrow(ConfigError);
    expect(() => parseConfig(["--port", "abc"], {})).toThrow(/--port/);
    expect(() => parseConfig(["--region", "../etc"], {})).toThrow(/--region/);
    expect(() => parseConfig(["--delivery-interval", "0"], {})).toThrow(/--delivery-interval/);
    expect(() => parseConfig(["--bogus"], {})).toThrow();
  });
});
