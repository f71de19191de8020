// One child process kept running by `npm start`: started once (a failure then is the operator's to
// fix, so it is reported, not retried), then restarted with exponential backoff whenever it dies,
// until stop(). The site and the sandbox each get one, so either can die and come back while the
// other keeps serving.
import fs from "node:fs";
import type { ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";

export interface Backoff {
  /** The first restart's delay. */
  initialMs: number;
  /** Delays double up to this. */
  maxMs: number;
  /** A child that stayed up this long counts as healthy: the next crash starts again at initialMs. */
  resetAfterMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000, resetAfterMs: 60_000 };

/** The delay before restart number `failures` (0-based) in a row. */
export function restartDelay(failures: number, backoff: Backoff): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(failures, 30));
}

export interface SupervisedProcess {
  /** For messages: "the sandbox", "the site". */
  name: string;
  spawn(): ChildProcess;
  /** Resolves once a fresh child serves; rejects (or the child exits) when it does not. */
  ready?(child: ChildProcess): Promise<void>;
  /** An exit that restarting cannot cure (a usage error, say): the supervisor then gives up. */
  isPermanent?(code: number | null): boolean;
  /**
   * Signals go to the child and every process below it, and what is left of that tree after the
   * child dies is killed before the restart — `next dev` leaves a server process holding the port
   * otherwise. The children stay in our process group (no `detached`), so whoever stops us by our
   * group (Ctrl-C in a terminal, Playwright's web server, a service manager) stops them too.
   */
  ownGroup?: boolean;
}

export interface SupervisorOptions {
  backoff?: Backoff;
  log?(message: string): void;
  /** How long stop() waits after its signal before SIGKILL. */
  stopGraceMs?: number;
}

const describeExit = (code: number | null, signal: NodeJS.Signals | null) => signal ?? `exit ${code}`;
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Events: "started" (child) for every launch, "exit" (code, signal) for every exit, "gave-up"
 * (code) when an exit is permanent. `child` is the running process, or null between runs.
 */
export class Supervisor extends EventEmitter {
  child: ChildProcess | null = null;
  /** Restarts so far (not counting the first start). */
  restarts = 0;
  private readonly backoff: Backoff;
  private readonly log: (message: string) => void;
  private readonly stopGraceMs: number;
  private failures = 0;
  private supervising = false;
  private stopping = false;
  private timer: NodeJS.Timeout | null = null;
  /** Each ownGroup child's descendants, noted while it runs (see launch). */
  private readonly trees = new Map<ChildProcess, number[]>();

  constructor(
    private readonly proc: SupervisedProcess,
    options: SupervisorOptions = {},
  ) {
    super();
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.log = options.log ?? ((m) => console.error(m));
    this.stopGraceMs = options.stopGraceMs ?? 10_000;
  }

  /** The first start: resolves once the child is ready, rejects with its exit when it stops before that. */
  async start(): Promise<ChildProcess> {
    const child = this.launch();
    const exited = new Promise<never>((_, reject) => {
      child.once("exit", (code, signal) => reject(new Error(`${this.proc.name} stopped during start (${describeExit(code, signal)})`)));
      child.once("error", (e) => reject(new Error(`${this.proc.name} could not start (${e.message})`)));
    });
    try {
      await Promise.race([this.proc.ready?.(child) ?? Promise.resolve(), exited]);
    } catch (e) {
      this.signal(child, "SIGKILL");
      throw e;
    }
    this.supervising = true;
    return child;
  }

  /** Stops the child with `signal` (SIGKILL after the grace period) and restarts it no more. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    this.signal(child, signal);
    const force = setTimeout(() => this.signal(child, "SIGKILL"), this.stopGraceMs);
    await gone;
    clearTimeout(force);
    if (this.proc.ownGroup) this.killLeftovers(child);
  }

  /** The processes a dead child left behind, as last noted while it lived. */
  private killLeftovers(child: ChildProcess): void {
    for (const pid of this.trees.get(child) ?? []) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    this.trees.delete(child);
  }

  /** To the child and, with ownGroup, every process below it; one already gone is no error. */
  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    if (child.pid === undefined) return;
    const pids = this.proc.ownGroup ? [child.pid, ...descendantsOf(child.pid)] : [child.pid];
    for (const pid of pids) {
      try {
        process.kill(pid, signal);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ESRCH") throw e;
      }
    }
  }

  private launch(): ChildProcess {
    const child = this.proc.spawn();
    const startedAt = Date.now();
    this.child = child;
    this.emit("started", child);
    if (this.proc.ownGroup && child.pid !== undefined) {
      // Once the child is dead its descendants belong to init and /proc no longer links them to
      // it: the tree is noted while it lives, so what it leaves behind can still be found.
      const pid = child.pid;
      const note = () => (this.trees.set(child, descendantsOf(pid)), undefined);
      const watch = setInterval(note, 1000);
      watch.unref();
      child.once("exit", () => clearInterval(watch));
      setTimeout(note, 200).unref();
    }
    // A child that could not be spawned at all (ENOENT, EACCES) reports "error" and no "exit".
    child.once("error", (e) => {
      if (child.pid === undefined) this.exited(child, startedAt, null, null, e.message);
    });
    child.once("exit", (code, signal) => this.exited(child, startedAt, code, signal));
    if (this.supervising && this.proc.ready) {
      this.proc.ready(child).then(
        () => this.log(`${this.proc.name} is back (restart ${this.restarts}).`),
        () => {
          // Not serving although running (stuck loading, say): end it, and the exit restarts it.
          if (child.exitCode === null && child.signalCode === null) this.signal(child, "SIGKILL");
        },
      );
    }
    return child;
  }

  private exited(child: ChildProcess, startedAt: number, code: number | null, signal: NodeJS.Signals | null, error?: string): void {
    if (this.child === child) this.child = null;
    // What the child started dies with it, so a restart finds its port and files free.
    if (this.proc.ownGroup) this.killLeftovers(child);
    this.emit("exit", code, signal);
    if (this.stopping || !this.supervising) return;
    const how = error ?? describeExit(code, signal);
    if (this.proc.isPermanent?.(code)) {
      this.log(`${this.proc.name} stopped (${how}) and restarting would not help; the rest keeps running.`);
      this.emit("gave-up", code);
      return;
    }
    const upFor = Date.now() - startedAt;
    if (upFor >= this.backoff.resetAfterMs) this.failures = 0;
    const delay = restartDelay(this.failures, this.backoff);
    this.failures++;
    this.log(`${this.proc.name} stopped (${how}) after ${seconds(upFor)}; restarting in ${seconds(delay)}.`);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.stopping) return;
      this.restarts++;
      this.launch();
    }, delay);
  }
}

/**
 * Every process below pid, from /proc's parent links (Linux); elsewhere none, and only the child
 * itself is signalled. Read at the moment of signalling, so a server the child started is found.
 */
export function descendantsOf(pid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid …: comm may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(entry));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}
