// The jail one invocation runs in: bubblewrap with its own user (uid 65534), pid, network, ipc and
// uts namespaces, no further user namespaces, no capabilities, and a root that holds only
//   /var/task     the function's code, read-only
//   /var/runtime  the runner (and the Node.js SDK), read-only
//   the language runtime's own files (runtime-image.ts), read-only
//   /tmp          a private tmpfs of Lambda's 512 MB; /dev/shm a small one
//   /proc         a fresh procfs that sees only the jail's processes
//   /etc          hosts, passwd, group: enough for "localhost" and a user name
// The network namespace has only loopback. The one way out is the sandbox's Unix socket, bound
// in read-only; the runner listens on 127.0.0.1:<sandbox port> inside and forwards to it, so the
// function's SDK reaches the sandbox at AWS_ENDPOINT_URL and nothing else.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { SHM_MIB, TMP_MIB } from "./limits";
import type { Mount, RuntimeImage } from "./runtime-image";

const here = path.dirname(fileURLToPath(import.meta.url));

export const JAIL_TASK_ROOT = "/var/task";
export const JAIL_RUNTIME_DIR = "/var/runtime";
export const JAIL_SOCKET = "/var/runtime/sandbox.sock";
/** Lambda's own user: nobody. In the user namespace it owns nothing of the host's. */
const JAIL_UID = "65534";
const MiB = 1024 * 1024;

/** Host files of the runtime folder the jail sees, by their path inside. */
const RUNNER_FILES = ["node-runner.mjs", "forwarder.mjs", "python_runner.py", "forwarder.py"];
const ETC_FILES = ["hosts", "passwd", "group"];

export type JailSupport = { ok: true; bwrap: string } | { ok: false; reason: string };

/** The environment of host-side tools (bwrap, ldd, the wrapper shell): nothing of any function's. */
export const HOST_TOOLS_ENV: Record<string, string> = { PATH: "/usr/bin:/bin" };

const BWRAP_CANDIDATES = ["/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap"];

/** The namespaces and privileges every jail gets; also what the start-up probe asks for. */
const ISOLATION = ["--unshare-all", "--unshare-user", "--disable-userns", "--uid", JAIL_UID, "--gid", JAIL_UID, "--cap-drop", "ALL", "--die-with-parent", "--new-session"];

let support: JailSupport | undefined;

/**
 * Whether bubblewrap can build the jail here: installed, and allowed to make the namespaces
 * (root, or unprivileged user namespaces). Probed once, by running `true` in an empty jail.
 */
export function jailSupport(): JailSupport {
  if (support !== undefined) return support;
  support = probe();
  return support;
}

function probe(): JailSupport {
  if (process.platform !== "linux") return { ok: false, reason: `bubblewrap runs only on Linux, not on ${process.platform}` };
  const bwrap = BWRAP_CANDIDATES.find((p) => existsSync(p));
  if (bwrap === undefined) return { ok: false, reason: "bubblewrap is not installed (Debian: apt-get install bubblewrap)" };
  const truth = ["/usr/bin/true", "/bin/true"].find((p) => existsSync(p)) ?? "/bin/true";
  const result = spawnSync(bwrap, [...ISOLATION, "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", truth], { env: HOST_TOOLS_ENV as NodeJS.ProcessEnv, encoding: "utf8", timeout: 10_000 });
  if (result.status === 0) return { ok: true, bwrap };
  const why = (result.stderr || result.error?.message || `exit status ${String(result.status)}`).trim().split("\n")[0];
  return { ok: false, reason: `bubblewrap cannot make the jail's namespaces here: ${why}` };
}

export interface JailSpec {
  image: RuntimeImage;
  codeDir: string;
  /** The sandbox's Unix socket, bound at JAIL_SOCKET; absent: no way out at all. */
  socket?: string;
  /** The complete environment inside. */
  environment: Record<string, string>;
}

function mountArgs(m: Mount): string[] {
  return m.kind === "ro-bind" ? ["--ro-bind", m.src, m.dest] : ["--symlink", m.target, m.dest];
}

/**
 * bwrap's options for one invocation, passed through a pipe (`--args FD`) rather than argv: argv
 * is readable by every user of the host in /proc, and the environment holds the function's
 * credentials. The command itself goes on argv after them.
 */
export function jailOptions(spec: JailSpec): string[] {
  const args = [
    ...ISOLATION,
    "--hostname", "localhost",
    "--proc", "/proc",
    "--dev", "/dev",
    "--size", String(TMP_MIB * MiB), "--tmpfs", "/tmp",
    "--size", String(SHM_MIB * MiB), "--tmpfs", "/dev/shm",
    ...spec.image.mounts.flatMap(mountArgs),
    "--ro-bind", spec.codeDir, JAIL_TASK_ROOT,
    ...RUNNER_FILES.flatMap((f) => ["--ro-bind", path.join(here, f), path.join(JAIL_RUNTIME_DIR, f)]),
    ...ETC_FILES.flatMap((f) => ["--ro-bind", path.join(here, "jail-etc", f), `/etc/${f}`]),
  ];
  if (spec.socket !== undefined) args.push("--ro-bind", spec.socket, JAIL_SOCKET);
  // Everything above is mounted; the root and /dev (tmpfs bwrap made, unbounded) become
  // read-only, so /tmp and /dev/shm, both bounded, are the only places to write.
  args.push("--remount-ro", "/", "--remount-ro", "/dev", "--chdir", JAIL_TASK_ROOT, "--clearenv");
  for (const [name, value] of Object.entries(spec.environment)) args.push("--setenv", name, value);
  return args;
}

/** The options as bwrap reads them from a file descriptor: NUL-terminated. */
export function encodeOptions(args: string[]): Buffer {
  return Buffer.from(args.map((a) => `${a}\0`).join(""), "utf8");
}
