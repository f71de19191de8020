// The sandbox's settings are read in one module (sandbox/settings.ts), and `npm start` hands the
// sandbox only those — an environment with none of the site's secrets.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readSandboxSettings, SANDBOX_SETTING_NAMES, sandboxLocalUrl, sandboxOptions } from "@/sandbox/settings";
import { sandboxEnvironment } from "@/scripts/lib/sandbox-child";
import { checkSandboxDataApart } from "@/scripts/lib/sandbox-files";
import { resolveSandboxUser } from "@/scripts/lib/sandbox-user";
import { protectSiteFiles, siteDirectories } from "@/scripts/lib/site-files";
import { DEFAULT_BACKOFF, restartDelay } from "@/scripts/lib/supervisor";

const SITE_SECRETS = {
  AUTH_SECRET: "a".repeat(43),
  DATABASE_URL: "postgresql://grader:hunter2@db.internal/lab",
  NEXTAUTH_URL: "https://grader.example.edu",
  NEXTAUTH_SECRET: "b".repeat(43),
  GRADER_AWS_PROFILE: "grader",
  AWS_SECRET_ACCESS_KEY: "operator-aws-secret",
  ADMIN_PASSWORD: "correct horse",
};

describe("sandbox settings (sandbox/settings.ts)", () => {
  it("default to a local sandbox on 127.0.0.1:4566 with its data in .data/sandbox", () => {
    const s = readSandboxSettings({});
    expect(sandboxOptions(s)).toEqual({
      host: "127.0.0.1",
      port: 4566,
      dataDir: ".data/sandbox",
      mode: "local",
      lambdaExec: true,
      endpointPolicy: "local",
      allowedEndpoints: [],
    });
    expect(sandboxLocalUrl(s)).toBe("http://127.0.0.1:4566");
  });

  it("make a hosted deployment's sandbox hosted, with loopback endpoints off and Lambda code only in the jail", () => {
    const o = sandboxOptions(readSandboxSettings({ DEPLOYMENT_MODE: "hosted", ALLOWED_ENDPOINTS: "10.0.0.5, hooks.example.edu" }));
    expect(o).toMatchObject({ mode: "hosted", lambdaExec: true, endpointPolicy: "hosted", allowedEndpoints: ["10.0.0.5", "hooks.example.edu"] });
    expect(sandboxOptions(readSandboxSettings({ DEPLOYMENT_MODE: "hosted", SANDBOX_LAMBDA_EXEC: "off" }))).toMatchObject({ lambdaExec: false });
  });

  it("refuse contradictions, naming every one", () => {
    expect(() => readSandboxSettings({ DEPLOYMENT_MODE: "hosted", SANDBOX_MODE: "local" })).toThrow(/SANDBOX_MODE=local contradicts DEPLOYMENT_MODE=hosted/);
    expect(() => readSandboxSettings({ SANDBOX_PORT: "70000", SANDBOX_MODE: "cloud" })).toThrow(/SANDBOX_PORT.*SANDBOX_MODE|SANDBOX_MODE.*SANDBOX_PORT/);
  });

  it("reach a sandbox listening on every interface over loopback", () => {
    expect(sandboxLocalUrl({ SANDBOX_HOST: "0.0.0.0", SANDBOX_PORT: 4566 })).toBe("http://127.0.0.1:4566");
    expect(sandboxLocalUrl({ SANDBOX_HOST: "::", SANDBOX_PORT: 4566 })).toBe("http://[::1]:4566");
    expect(sandboxLocalUrl({ SANDBOX_HOST: "fd00::1", SANDBOX_PORT: 80 })).toBe("http://[fd00::1]:80");
  });
});

describe("the sandbox's environment under npm start", () => {
  const parent: NodeJS.ProcessEnv = {
    NODE_ENV: "production",
    ...SITE_SECRETS,
    PATH: "/usr/bin:/bin",
    HOME: "/root",
    LANG: "C.UTF-8",
    SANDBOX_PORT: "4566",
    SANDBOX_DATA: ".data/sandbox",
    SANDBOX_ADMIN_TOKEN: "c".repeat(43),
    SANDBOX_PUBLIC_URL: "https://aws.grader.example.edu",
    DEPLOYMENT_MODE: "hosted",
    ALLOWED_ENDPOINTS: "10.0.0.5",
    DATA_DIR: ".data",
  };

  const settings = readSandboxSettings(parent);

  it("holds the sandbox's settings and what Node needs, and none of the site's secrets", () => {
    const env = sandboxEnvironment(settings, parent);
    for (const name of Object.keys(SITE_SECRETS)) expect(env).not.toHaveProperty(name);
    expect(env).not.toHaveProperty("DATA_DIR");
    expect(env).toMatchObject({ PATH: "/usr/bin:/bin", HOME: "/root", LANG: "C.UTF-8", SANDBOX_PORT: "4566", DEPLOYMENT_MODE: "hosted", ALLOWED_ENDPOINTS: "10.0.0.5" });
    // The settings as validated, defaults included: the sandbox runs with what npm start checked.
    expect(env).toMatchObject({ SANDBOX: "on", SANDBOX_HOST: "127.0.0.1", SANDBOX_PUBLIC_URL: "https://aws.grader.example.edu" });
    expect(env.SANDBOX_DATA).toBe(path.resolve(".data/sandbox"));
    // Every name in it is one the settings module reads, or one Node itself needs.
    for (const name of Object.keys(env)) expect([...SANDBOX_SETTING_NAMES, "PATH", "HOME", "LANG", "AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"]).toContain(name);
  });

  it("keeps even the sandbox's own admin token out (it is handed over as a file in SANDBOX_DATA)", () => {
    expect(sandboxEnvironment(settings, parent)).not.toHaveProperty("SANDBOX_ADMIN_TOKEN");
  });

  it("has the sandbox user's home when it runs as one", () => {
    expect(sandboxEnvironment(settings, parent, { name: "nobody", uid: 65534, gid: 65534, home: "/nonexistent" }).HOME).toBe("/nonexistent");
  });
});

describe("the sandbox's data folder and the site's files", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const temp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "lab-grader-files-"));
    dirs.push(d);
    return d;
  };

  it("refuse a SANDBOX_DATA that is, or holds, the site's data folder or its database's folder", () => {
    const root = temp();
    const site = siteDirectories(path.join(root, ".data"), `file:${root}/db/lab.db`);
    expect(() => checkSandboxDataApart(path.join(root, ".data"), site)).toThrow(/would hold the site's own folder/);
    expect(() => checkSandboxDataApart(root, site)).toThrow(/would hold the site's own folder/);
    expect(() => checkSandboxDataApart(path.join(root, "db"), site)).toThrow(/would hold the site's own folder/);
    fs.symlinkSync(path.join(root, ".data"), path.join(root, "alias"));
    fs.mkdirSync(path.join(root, ".data"));
    expect(() => checkSandboxDataApart(path.join(root, "alias"), site)).toThrow(/would hold the site's own folder/);
    expect(() => checkSandboxDataApart(path.join(root, ".data", "sandbox"), site)).not.toThrow();
  });

  it("make the site's secrets file and SQLite files readable by their owner only", () => {
    const data = temp();
    const files = ["secrets.json", "lab-grader.db", "lab-grader.db-wal", "lab-grader.db-shm"].map((f) => path.join(data, f));
    for (const f of files) fs.writeFileSync(f, "x", { mode: 0o644 });
    protectSiteFiles(data, `file:${path.join(data, "lab-grader.db")}`);
    for (const f of files) expect(fs.statSync(f).mode & 0o777).toBe(0o600);
  });

  it("refuse SANDBOX_USER when it cannot be honoured", () => {
    expect(() => resolveSandboxUser("no-such-user-lab-grader")).toThrow(/no such user/);
    expect(() => resolveSandboxUser("nobody", 1000)).toThrow(/needs `npm start` to run as root/);
    expect(resolveSandboxUser(undefined)).toBeNull();
    expect(resolveSandboxUser("root", 0)).toBeNull();
    expect(resolveSandboxUser("nobody", 0)).toMatchObject({ name: "nobody", uid: 65534 });
  });
});

describe("restart backoff", () => {
  it("doubles from half a second to 30 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 50].map((n) => restartDelay(n, DEFAULT_BACKOFF))).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});
