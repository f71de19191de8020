// What one invocation may use: memory (MemorySize), processes, CPU and file size. The kernel
// enforces them through a cgroup v1 group per controller, made for the invocation under the
// sandbox's own group (so the host's limits on the sandbox still hold), and through rlimits that
// the wrapper shell sets before it execs the runtime. Where a controller is not writable (no root,
// cgroup v2 without delegation, macOS) that limit falls back to what the rlimits and the
// runtime's own heap limit give.
import { mkdirSync, readFileSync, rmdirSync, writeFileSync, existsSync } from "node:fs";
import path from "node:path";
import { randomUUID } from "node:crypto";

/** Lambda's default ephemeral storage (/tmp), in MiB; also the most one file may grow to. */
export const TMP_MIB = 512;
/** /dev/shm is memory too: a small share, so it cannot hold more than /tmp. */
export const SHM_MIB = 64;
/**
 * Processes and threads of one invocation. AWS allows 1,024 per execution environment; a class
 * shares one machine, so a quarter of that (Node.js alone uses about a dozen threads).
 */
export const MAX_TASKS = 256;
/** CPUs one invocation may keep busy, so a spinning function leaves the machine's others free. */
export const MAX_CPUS = 1;

export type Controller = "memory" | "pids" | "cpu";
const CONTROLLERS: readonly Controller[] = ["memory", "pids", "cpu"];
/** The file each controller's limit is written to: its presence says the controller is there. */
const LIMIT_FILE: Record<Controller, string> = { memory: "memory.limit_in_bytes", pids: "pids.max", cpu: "cpu.cfs_quota_us" };
const CGROUP_ROOT = "/sys/fs/cgroup";

/** The sandbox's own cgroup v1 folder for each controller it may create groups under. */
export type CgroupParents = Partial<Record<Controller, string>>;

/** Where this process sits in each v1 hierarchy, from /proc/self/cgroup ("4:memory:/some/path"). */
function ownGroups(): Map<string, string> {
  const groups = new Map<string, string>();
  let text: string;
  try {
    text = readFileSync("/proc/self/cgroup", "utf8");
  } catch {
    return groups;
  }
  for (const line of text.split("\n")) {
    const [, controllers, where] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
    if (controllers === undefined || where === undefined) continue;
    for (const c of controllers.split(",")) if (c !== "") groups.set(c, where);
  }
  return groups;
}

/**
 * Makes and removes a probe group: the only way to know the hierarchy is writable by us, and that
 * a child group has the limit file (the root group of a hierarchy has none of its own).
 */
function usable(parent: string, c: Controller): boolean {
  const probe = path.join(parent, `lab-grader-probe-${randomUUID()}`);
  try {
    mkdirSync(probe);
  } catch {
    return false;
  }
  const has = existsSync(path.join(probe, LIMIT_FILE[c]));
  tryRmdir(probe);
  return has;
}

let probed: CgroupParents | undefined;

/** The controllers this process can limit invocations with (probed once). */
export function cgroupParents(): CgroupParents {
  if (probed !== undefined) return probed;
  const found: CgroupParents = {};
  if (process.platform === "linux") {
    const own = ownGroups();
    for (const c of CONTROLLERS) {
      const where = own.get(c);
      if (where === undefined) continue;
      const parent = path.join(CGROUP_ROOT, c, where);
      if (existsSync(parent) && usable(parent, c)) found[c] = parent;
    }
  }
  probed = found;
  return found;
}

/** The limits an invocation gets, from its function's configuration. */
export interface InvocationLimits {
  memoryMiB: number;
  timeoutSeconds: number;
}

/** RLIMIT_CPU: one CPU for the whole timeout, plus a second for the runtime's own start. */
export function cpuSeconds(limits: InvocationLimits): number {
  return Math.ceil(limits.timeoutSeconds * MAX_CPUS) + 1;
}

/**
 * RLIMIT_FSIZE, in the 512-byte blocks of the shell's `ulimit -f`: a little over /tmp's size, so
 * in the jail a full /tmp answers ENOSPC as on Lambda (rather than SIGXFSZ killing the runtime),
 * and unconfined no one file grows past it.
 */
export function fileSizeBlocks(): number {
  return (TMP_MIB + 16) * 2048;
}

const MiB = 1024 * 1024;

/** One invocation's groups, one per controller that is writable. */
export class InvocationGroups {
  private constructor(private readonly dirs: Partial<Record<Controller, string>>) {}

  /** Makes the groups and writes their limits; a controller that refuses is left out. */
  static create(limits: InvocationLimits, parents: CgroupParents = cgroupParents()): InvocationGroups {
    const name = `lab-grader-lambda-${randomUUID()}`;
    const dirs: Partial<Record<Controller, string>> = {};
    for (const c of CONTROLLERS) {
      const parent = parents[c];
      if (parent === undefined) continue;
      const dir = path.join(parent, name);
      try {
        mkdirSync(dir);
      } catch {
        continue;
      }
      try {
        writeLimits(c, dir, limits);
        dirs[c] = dir;
      } catch {
        tryRmdir(dir);
      }
    }
    return new InvocationGroups(dirs);
  }

  /** The controllers in force for this invocation. */
  controllers(): Controller[] {
    return CONTROLLERS.filter((c) => this.dirs[c] !== undefined);
  }

  /** The cgroup.procs files the wrapper writes its own pid to, before it execs anything. */
  procsFiles(): string[] {
    return this.controllers().map((c) => path.join(this.dirs[c]!, "cgroup.procs"));
  }

  /** Whether the kernel's OOM killer acted in the memory group (MemorySize exceeded). */
  oomKilled(): boolean {
    const dir = this.dirs.memory;
    if (dir === undefined) return false;
    try {
      const m = /^oom_kill (\d+)$/m.exec(readFileSync(path.join(dir, "memory.oom_control"), "utf8"));
      return m !== null && Number(m[1]) > 0;
    } catch {
      return false;
    }
  }

  /** Pids still in any of the groups. */
  members(): number[] {
    const pids = new Set<number>();
    for (const file of this.procsFiles()) {
      try {
        for (const line of readFileSync(file, "utf8").split("\n")) if (line !== "") pids.add(Number(line));
      } catch {
        /* the group is gone */
      }
    }
    return [...pids];
  }

  /** SIGKILLs every process of the invocation, wherever it went (a setsid'd child included). */
  kill(): void {
    for (const pid of this.members()) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }

  /**
   * Kills what is left now, and removes the groups: at once when they are empty, else in the
   * background (a process the kernel is still tearing down holds its group a few milliseconds,
   * and the invocation's answer need not wait for that).
   */
  release(): Promise<void> {
    this.kill();
    return this.removeWhenEmpty(0);
  }

  private async removeWhenEmpty(attempt: number): Promise<void> {
    const left = this.controllers().filter((c) => !tryRmdir(this.dirs[c]!));
    if (left.length === 0 || attempt >= 40) return;
    await new Promise((r) => setTimeout(r, Math.min(2 ** attempt, 50)));
    this.kill();
    return this.removeWhenEmpty(attempt + 1);
  }
}

function writeLimits(c: Controller, dir: string, limits: InvocationLimits): void {
  if (c === "memory") {
    const bytes = String(limits.memoryMiB * MiB);
    writeFileSync(path.join(dir, "memory.limit_in_bytes"), bytes);
    // With swap accounting, memory+swap gets the same bound, so MemorySize is not doubled by swap.
    const memsw = path.join(dir, "memory.memsw.limit_in_bytes");
    if (existsSync(memsw)) writeFileSync(memsw, bytes);
  } else if (c === "pids") {
    writeFileSync(path.join(dir, "pids.max"), String(MAX_TASKS));
  } else {
    const period = Number(readFileSync(path.join(dir, "cpu.cfs_period_us"), "utf8").trim()) || 100_000;
    writeFileSync(path.join(dir, "cpu.cfs_quota_us"), String(period * MAX_CPUS));
  }
}

function tryRmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ENOENT";
  }
}

/**
 * The wrapper that runs before the runtime: joins the invocation's groups (so everything it
 * starts is counted from its first instruction), sets RLIMIT_CPU and RLIMIT_FSIZE, closes every
 * file descriptor above KEEP that the sandbox itself inherited and did not mark close-on-exec
 * (a pipe to a supervisor must not reach the jail; "-" keeps them: only bash can close fds above
 * 9), then execs the command. argv: CPU_SECONDS FSIZE_BLOCKS KEEP PROCS_FILE… -- COMMAND…
 * No RLIMIT_NPROC: it counts every process of the host user (and root is exempt from it), so
 * the number of processes is bounded by the pids group alone.
 */
export const WRAPPER_SCRIPT = [
  'cpu=$1; fsize=$2; keep=$3; shift 3',
  'while [ "$1" != "--" ]; do echo $$ > "$1" || exit 125; shift; done; shift',
  'ulimit -t "$cpu" && ulimit -f "$fsize" || exit 125',
  'if [ "$keep" != "-" ]; then for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ "$n" -gt "$keep" ]; then eval "exec $n>&-"; fi; done; fi',
  'exec "$@"',
].join("\n");

/** The shell that runs WRAPPER_SCRIPT, and the argv around a command (`keep`: see KEEP there). */
export function wrapper(limits: InvocationLimits, groups: InvocationGroups, command: string[], keep?: number): { shell: string; args: string[] } {
  const bash = keep !== undefined && existsSync("/bin/bash") && existsSync("/proc/self/fd");
  // --norc: bash reads ~/.bashrc even non-interactive when its stdin is a socket (as Node's pipes are).
  const args = [...(bash ? ["--norc", "--noprofile"] : []), "-c", WRAPPER_SCRIPT, "sh", String(cpuSeconds(limits)), String(fileSizeBlocks()), bash ? String(keep) : "-", ...groups.procsFiles(), "--", ...command];
  return { shell: bash ? "/bin/bash" : "/bin/sh", args };
}
