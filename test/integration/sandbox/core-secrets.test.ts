// Secrets at rest: issued secret keys are sealed in the store (AES-256-GCM under the sandbox's
// own key file) and session tokens kept only as digests, so no file of the sandbox's data —
// SQLite, its WAL, the redo log — holds one in plain text, even right after a SIGKILL; rows
// written in plain text by an older sandbox are rewritten sealed. Only the sandbox's user may
// read the data: the directory 0700, every file 0600. Keys still authenticate after a restart.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CreateRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { openSqliteStore } from "@/sandbox/core/store";
import type { Credentials, SandboxProcess } from "@/test/support/sandbox";
import { spawnSandboxProcess } from "@/test/support/sandbox";

const running: SandboxProcess[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const p of running) await p.kill("SIGKILL");
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function newDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-secrets-"));
  dirs.push(dir);
  return dir;
}

/** Every byte of every file in the data directory (Lambda code aside), as latin1 text to search. */
function everyFile(dir: string): string {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => fs.readFileSync(path.join(dir, e.name)).toString("latin1"))
    .join("\n");
}

function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = { ".": (fs.statSync(dir).mode & 0o777).toString(8) };
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) if (e.isFile()) out[e.name] = (fs.statSync(path.join(dir, e.name)).mode & 0o777).toString(8);
  return out;
}

async function whoAmI(p: SandboxProcess, creds: Credentials): Promise<string | undefined> {
  return (await new STSClient(p.clientConfig(creds)).send(new GetCallerIdentityCommand({}))).Arn;
}

describe("secrets at rest", () => {
  it("keeps no secret key or session token in plain text, files 0600 in a 0700 directory, and authenticates after a restart", async () => {
    const first = await spawnSandboxProcess({ dataDir: newDataDir() });
    running.push(first);
    const acct = await first.createAccount();
    const grader = await first.grader();
    const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: grader.accountId }, Action: "sts:AssumeRole" }] });
    const role = await new IAMClient(first.clientConfig(acct)).send(new CreateRoleCommand({ RoleName: "LabGraderRole", AssumeRolePolicyDocument: trust }));
    const assumed = await new STSClient(first.clientConfig(grader)).send(new AssumeRoleCommand({ RoleArn: role.Role?.Arn, RoleSessionName: "s1" }));
    const session: Credentials = {
      accessKeyId: assumed.Credentials?.AccessKeyId ?? "",
      secretAccessKey: assumed.Credentials?.SecretAccessKey ?? "",
      sessionToken: assumed.Credentials?.SessionToken ?? "",
    };
    expect(await whoAmI(first, session)).toBe(`arn:aws:sts::${acct.accountId}:assumed-role/LabGraderRole/s1`);

    // While it runs (the WAL and redo log hold the latest rows) and after a SIGKILL.
    const check = () => {
      const raw = everyFile(first.dataDir);
      expect(raw).toContain(acct.accessKeyId); // the rows are there...
      for (const secret of [acct.secretAccessKey, grader.secretAccessKey, session.secretAccessKey, session.sessionToken ?? ""]) expect(raw).not.toContain(secret); // ...sealed
      for (const [file, mode] of Object.entries(modes(first.dataDir))) expect(mode, file).toBe(file === "." ? "700" : "600");
    };
    check();
    expect(Object.keys(modes(first.dataDir))).toEqual(expect.arrayContaining(["sandbox.db", "sandbox.redo", "sealing-key"]));
    await first.kill("SIGKILL");
    check();

    const second = await spawnSandboxProcess({ dataDir: first.dataDir, port: first.port });
    running.push(second);
    expect(await whoAmI(second, acct)).toBe(`arn:aws:iam::${acct.accountId}:root`);
    expect(await whoAmI(second, session)).toBe(`arn:aws:sts::${acct.accountId}:assumed-role/LabGraderRole/s1`);
    expect(await second.grader()).toEqual(grader);
    await second.kill("SIGTERM");
  }, 120_000);

  it("reads plain-text rows of an older sandbox, rewrites them sealed, and tightens the files' modes", async () => {
    const dir = newDataDir();
    fs.chmodSync(dir, 0o755);
    const legacy = { accountId: "111122223333", accessKeyId: "AKIALEGACYACCOUNT000", secretAccessKey: "LegacySecretLegacySecretLegacySecret0000", kind: "learner", createdAt: "2026-01-01T00:00:00.000Z" };
    const store = openSqliteStore(dir);
    store.put("_sandbox_accounts", legacy.accountId, legacy);
    store.close();
    fs.chmodSync(path.join(dir, "sandbox.db"), 0o644);
    fs.chmodSync(path.join(dir, "sandbox.redo"), 0o644);
    expect(everyFile(dir)).toContain(legacy.secretAccessKey);

    const p = await spawnSandboxProcess({ dataDir: dir });
    running.push(p);
    expect(await whoAmI(p, legacy)).toBe(`arn:aws:iam::${legacy.accountId}:root`);
    await p.kill("SIGTERM"); // a clean stop folds the log and checkpoints the WAL into the file
    expect(everyFile(dir)).not.toContain(legacy.secretAccessKey);
    for (const [file, mode] of Object.entries(modes(dir))) expect(mode, file).toBe(file === "." ? "700" : "600");

    const again = await spawnSandboxProcess({ dataDir: dir });
    running.push(again);
    expect(await whoAmI(again, legacy)).toBe(`arn:aws:iam::${legacy.accountId}:root`);
  }, 120_000);
});
