// `npm start`'s sandbox: its data apart from the site's, handed to SANDBOX_USER when one is set,
// started with the allow-listed environment, and kept running by a Supervisor.
import { sandboxLocalUrl, type SandboxSettings } from "../../sandbox/settings";
import { checkSandboxDataApart, prepareSandboxData } from "./sandbox-files";
import { checkAddressFree, sandboxChild, sandboxEnvironment } from "./sandbox-child";
import { resolveSandboxUser } from "./sandbox-user";
import { siteDirectories } from "./site-files";
import { Supervisor, type SupervisorOptions } from "./supervisor";

export interface SandboxStart extends SupervisorOptions {
  settings: SandboxSettings;
  /** The site's folders (siteDirectories): the sandbox's data stays out of them, and they out of it. */
  dataDir: string;
  databaseUrl: string;
  /** The environment npm start runs with; the sandbox gets only its allow-listed part (PATH, locale, NODE_OPTIONS…). */
  parentEnv: NodeJS.ProcessEnv;
  cwd?: string;
  readyTimeoutMs?: number;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

/** Starts the sandbox (resolving once it answers) and supervises it; rejects with its own error output when it cannot start. */
export async function startSupervisedSandbox(o: SandboxStart): Promise<Supervisor> {
  const s = o.settings;
  if (!s.SANDBOX_ADMIN_TOKEN) throw new Error("SANDBOX_ADMIN_TOKEN is not set (prepareEnvironment provides one).");
  const user = resolveSandboxUser(s.SANDBOX_USER);
  const siteDirs = siteDirectories(o.dataDir, o.databaseUrl);
  checkSandboxDataApart(s.SANDBOX_DATA, siteDirs);
  prepareSandboxData(s.SANDBOX_DATA, s.SANDBOX_ADMIN_TOKEN, user, siteDirs);
  const url = sandboxLocalUrl(s);
  await checkAddressFree(url);
  const child = sandboxChild({
    url,
    env: sandboxEnvironment(s, o.parentEnv, user),
    user,
    ...(o.cwd ? { cwd: o.cwd } : {}),
    ...(o.readyTimeoutMs ? { readyTimeoutMs: o.readyTimeoutMs } : {}),
    ...(o.stdout ? { stdout: o.stdout } : {}),
    ...(o.stderr ? { stderr: o.stderr } : {}),
  });
  const supervisor = new Supervisor(child, o);
  try {
    await supervisor.start();
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}: ${child.stderrTail() || "it printed nothing"}`);
  }
  return supervisor;
}
