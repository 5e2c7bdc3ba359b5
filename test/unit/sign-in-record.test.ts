import { describe, expect, it } from "vitest";
import { signInRecord, type SignInEvent } from "../../src/recorder/sign-in-record.js";

/** The facts every example of reference/console.md §1.4 shares. */
const base = {
  eventName: "ConsoleLogin",
  region: "us-east-1",
  sourceIp: "203.0.113.10",
  host: "signin.aws.amazon.com",
  additionalEventData: { LoginTo: "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true", MobileVersion: "No", MFAUsed: "No" },
} as const;

const text = (e: SignInEvent) => JSON.stringify(signInRecord(e).record);

describe("sign-in records, key for key as AWS writes them (reference/console.md §1.4)", () => {
  it("an IAM user's successful ConsoleLogin: no accessKeyId, no requestID, tlsDetails last", () => {
    const ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    expect(
      text({
        ...base,
        subject: { kind: "principal", caller: { type: "IAMUser", accountId: "123456789012", accessKeyId: "", userName: "alice", userId: "AIDACKCEVSQ6C2EXAMPLE", arn: "arn:aws:iam::123456789012:user/alice" } },
        userAgent: ua,
        success: true,
        eventTime: new Date("2026-03-02T08:53:24Z"),
        eventId: "865d9377-9c6b-4fd7-8aad-725e95f6a140",
      }),
    ).toBe(
      JSON.stringify({
        eventVersion: "1.11",
        userIdentity: { type: "IAMUser", principalId: "AIDACKCEVSQ6C2EXAMPLE", arn: "arn:aws:iam::123456789012:user/alice", accountId: "123456789012", userName: "alice" },
        eventTime: "2026-03-02T08:53:24Z",
        eventSource: "signin.amazonaws.com",
        eventName: "ConsoleLogin",
        awsRegion: "us-east-1",
        sourceIPAddress: "203.0.113.10",
        userAgent: ua,
        requestParameters: null,
        responseElements: { ConsoleLogin: "Success" },
        additionalEventData: base.additionalEventData,
        eventID: "865d9377-9c6b-4fd7-8aad-725e95f6a140",
        readOnly: false,
        eventType: "AwsConsoleSignIn",
        managementEvent: true,
        recipientAccountId: "123456789012",
        eventCategory: "Management",
        tlsDetails: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: "signin.aws.amazon.com" },
      }),
    );
  });

  it("a wrong password: errorMessage after userAgent, no errorCode, no arn, an empty key", () => {
    const ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";
    expect(
      text({
        ...base,
        subject: { kind: "rejectedUser", accountId: "123456789012", userName: "alice", userId: "AIDACKCEVSQ6C2EXAMPLE" },
        userAgent: ua,
        success: false,
        errorMessage: "Failed authentication",
        eventTime: new Date("2026-03-02T08:52:10Z"),
        eventId: "d38ce1b3-4575-4cb8-a632-611b8243bfc3",
      }),
    ).toBe(
      JSON.stringify({
        eventVersion: "1.11",
        userIdentity: { type: "IAMUser", principalId: "AIDACKCEVSQ6C2EXAMPLE", accountId: "123456789012", accessKeyId: "", userName: "alice" },
        eventTime: "2026-03-02T08:52:10Z",
        eventSource: "signin.amazonaws.com",
        eventName: "ConsoleLogin",
        awsRegion: "us-east-1",
        sourceIPAddress: "203.0.113.10",
        userAgent: ua,
        errorMessage: "Failed authentication",
        requestParameters: null,
        responseElements: { ConsoleLogin: "Failure" },
        additionalEventData: base.additionalEventData,
        eventID: "d38ce1b3-4575-4cb8-a632-611b8243bfc3",
        readOnly: false,
        eventType: "AwsConsoleSignIn",
        managementEvent: true,
        recipientAccountId: "123456789012",
        eventCategory: "Management",
        tlsDetails: { tlsVersion: "TLSv1.3", cipherSuite: "TLS_AES_128_GCM_SHA256", clientProvidedHostHeader: "signin.aws.amazon.com" },
      }),
    );
  });

  it("an unknown user name is hidden; the root is itself with an empty key, successful or not", () => {
    const unknown = signInRecord({ ...base, subject: { kind: "unknownUser", accountId: "123456789012" }, success: false, errorMessage: "No username found in supplied account", eventTime: new Date(0), eventId: "e" }).record;
    expect(unknown.userIdentity).toEqual({ type: "IAMUser", accountId: "123456789012", accessKeyId: "", userName: "HIDDEN_DUE_TO_SECURITY_REASONS" });
    const root = { type: "Root", principalId: "123456789012", arn: "arn:aws:iam::123456789012:root", accountId: "123456789012", accessKeyId: "" };
    const rejected = signInRecord({ ...base, subject: { kind: "rejectedRoot", accountId: "123456789012" }, success: false, errorMessage: "Failed authentication", eventTime: new Date(0), eventId: "e" }).record;
    const accepted = signInRecord({ ...base, subject: { kind: "principal", caller: { type: "Root", accountId: "123456789012", accessKeyId: "", accountAlias: "acme" } }, success: true, eventTime: new Date(0), eventId: "e" }).record;
    expect(JSON.stringify(rejected.userIdentity)).toBe(JSON.stringify(root));
    expect(JSON.stringify(accepted.userIdentity)).toBe(JSON.stringify(root));
  });

  it("an assumed-role session: ConsoleLogin without the key, GetSigninToken with the key it presented", () => {
    const caller = {
      type: "AssumedRole" as const,
      accountId: "123456789012",
      accessKeyId: "ASIAEXAMPLEKEY000002",
      roleName: "ConsoleRole",
      roleId: "AROAEXAMPLEROLEID0001",
      roleArn: "arn:aws:iam::123456789012:role/ConsoleRole",
      sessionName: "broker-alice",
      session: { createdAt: new Date("2026-03-02T10:00:00Z"), mfaAuthenticated: false },
    };
    const sessionContext = {
      sessionIssuer: { type: "Role", principalId: "AROAEXAMPLEROLEID0001", arn: "arn:aws:iam::123456789012:role/ConsoleRole", accountId: "123456789012", userName: "ConsoleRole" },
      webIdFederationData: {},
      attributes: { creationDate: "2026-03-02T10:00:00Z", mfaAuthenticated: "false" },
    };
    const identity = { type: "AssumedRole", principalId: "AROAEXAMPLEROLEID0001:broker-alice", arn: "arn:aws:sts::123456789012:assumed-role/ConsoleRole/broker-alice", accountId: "123456789012" };
    const login = signInRecord({ ...base, subject: { kind: "principal", caller }, success: true, eventTime: new Date(0), eventId: "e" }).record;
    expect(JSON.stringify(login.userIdentity)).toBe(JSON.stringify({ ...identity, sessionContext }));
    const token = signInRecord({ ...base, eventName: "GetSigninToken", additionalEventData: undefined, subject: { kind: "principal", caller }, success: true, eventTime: new Date(0), eventId: "e" }).record;
    expect(JSON.stringify(token.userIdentity)).toBe(JSON.stringify({ ...identity, accessKeyId: "ASIAEXAMPLEKEY000002", sessionContext }));
    expect(token.responseElements).toEqual({ GetSigninToken: "Success" });
    expect(token.additionalEventData).toBeUndefined();
  });
});
