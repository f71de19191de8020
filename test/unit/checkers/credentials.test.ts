// The credential cache's arithmetic. The STS client here is a FAKE on purpose: these tests
// check caching (when AssumeRole is called, with what, and when it is called again), not
// STS itself; the integration tests assume a real role on the sandbox.
import { describe, expect, it } from "vitest";
import type { AssumeRoleCommand, AssumeRoleCommandOutput } from "@aws-sdk/client-sts";
import { ConnectionError, CredentialCache, REFRESH_MARGIN_MS, resolveCredentials, sessionName, type RoleParams } from "@/checkers/credentials";

const HOUR = 3_600_000;

function fakeSts(now: () => number, fail?: () => Error) {
  const calls: AssumeRoleCommand["input"][] = [];
  const make = () => ({
    async send(cmd: AssumeRoleCommand): Promise<AssumeRoleCommandOutput> {
      calls.push(cmd.input);
      if (fail) throw fail();
      return {
        $metadata: {},
        Credentials: { AccessKeyId: `ASIA${calls.length}`, SecretAccessKey: "secret", SessionToken: "token", Expiration: new Date(now() + HOUR) },
      };
    },
  });
  return { calls, make };
}

const base = { accessKeyId: "AKIAGRADER", secretAccessKey: "grader-secret" };
const params: RoleParams = { roleArn: "arn:aws:iam::111122223333:role/LabGraderRole", externalId: "ext-1", userId: "u1", region: "us-east-1", base };

describe("CredentialCache", () => {
  it("assumes the role with the ExternalId and session name lab-grader-<userId>", async () => {
    let t = 0;
    const sts = fakeSts(() => t);
    const cache = new CredentialCache({ now: () => t, makeSts: sts.make });
    const creds = await cache.get(params);
    expect(creds).toMatchObject({ accessKeyId: "ASIA1", secretAccessKey: "secret", sessionToken: "token" });
    expect(sts.calls[0]).toMatchObject({ RoleArn: params.roleArn, ExternalId: "ext-1", RoleSessionName: "lab-grader-u1" });
    t += 1;
  });

  it("reuses credentials until 5 minutes before they expire, then assumes the role again", async () => {
    let t = 1_000_000;
    const sts = fakeSts(() => t);
    const cache = new CredentialCache({ now: () => t, makeSts: sts.make });
    await cache.get(params);
    t += HOUR - REFRESH_MARGIN_MS - 1;
    expect((await cache.get(params)).accessKeyId).toBe("ASIA1");
    expect(sts.calls).toHaveLength(1);
    t += 1;
    expect((await cache.get(params)).accessKeyId).toBe("ASIA2");
    expect(sts.calls).toHaveLength(2);
    expect(cache.assumeRoleCalls).toBe(2);
  });

  it("shares one AssumeRole among concurrent callers", async () => {
    const t = 0;
    const sts = fakeSts(() => t);
    const cache = new CredentialCache({ now: () => t, makeSts: sts.make });
    await Promise.all([cache.get(params), cache.get(params), cache.get(params)]);
    expect(sts.calls).toHaveLength(1);
  });

  it("keys the cache by role, ExternalId and the base credentials' identity", async () => {
    const t = 0;
    const sts = fakeSts(() => t);
    const cache = new CredentialCache({ now: () => t, makeSts: sts.make });
    await cache.get(params);
    await cache.get({ ...params, externalId: "ext-2" });
    await cache.get({ ...params, roleArn: "arn:aws:iam::444455556666:role/LabGraderRole" });
    await cache.get({ ...params, base: { accessKeyId: "AKIAOTHER", secretAccessKey: "x" } });
    await cache.get({ ...params, base: async () => ({ accessKeyId: "AKIAGRADER", secretAccessKey: "rotated" }) });
    expect(sts.calls).toHaveLength(4);
  });

  it("does not cache a failure, and reports it as a ConnectionError with the likely causes", async () => {
    let fail = true;
    const t = 0;
    const denied = Object.assign(new Error("User: x is not authorized to perform: sts:AssumeRole on resource: y"), { name: "AccessDenied" });
    const good = fakeSts(() => t);
    const bad = fakeSts(() => t, () => denied);
    const cache = new CredentialCache({ now: () => t, makeSts: () => (fail ? bad.make() : good.make()) });
    const err = await cache.get(params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).hint).toMatch(/ExternalId/);
    fail = false;
    expect((await cache.get(params)).accessKeyId).toBe("ASIA1");
  });
});

describe("resolveCredentials", () => {
  it("without a role ARN uses the base credentials directly, without STS", async () => {
    const sts = fakeSts(() => 0);
    const cache = new CredentialCache({ makeSts: sts.make });
    expect(await resolveCredentials({ userId: "u1", region: "us-east-1", base }, cache)).toBe(base);
    expect(sts.calls).toHaveLength(0);
  });

  it("makes session names STS accepts", () => {
    expect(sessionName("user 42/x")).toBe("lab-grader-user-42-x");
    expect(sessionName("a".repeat(100))).toHaveLength(64);
  });
});
