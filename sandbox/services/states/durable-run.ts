// What lets an execution outlive the process that started it, so a Wait of any length AWS
// allows (a Standard execution may run a year) really lasts that long across restarts.
//
// Every task call is journaled: a row when it starts, rewritten with its result when it ends.
// After a restart the execution is run again from its start by the same interpreter, and:
//   - a task call the journal holds is not made again: its recorded result is returned;
//   - time is replayed: the clock starts at the execution's start date and moves to each
//     replayed task's finishing time and each Wait's wake-up time, so a Wait that began before
//     the restart ends when it would have ended, and one already over ends at once;
//   - a task that had started but not finished when the process died may or may not have had
//     its effect, so the execution fails (States.Runtime) rather than risk doing it twice;
//   - States.UUID() gives the same values again (seeded by the execution ARN).
// Calls are matched by state name, attempt, resource, Map index and input, so Parallel branches
// and Map iterations find their own results whatever order they run in.
import { createHash } from "node:crypto";
import type { ServiceEnvironment } from "@/sandbox/core/contracts";
import { StatesError } from "@/semantics/asl";
import type { Clock, TaskHandler } from "@/semantics/asl";
import type { JournalEntry } from "./models";

export const RESTART_CAUSE = "The sandbox restarted during this execution.";

export interface JournalSink {
  /** The rows a previous process left, oldest first (empty for a new execution). */
  entries: JournalEntry[];
  write(entry: JournalEntry): void;
}

export interface DurableRun {
  clock: Clock;
  /** Wraps the live task handler: replays journaled calls, journals new ones. */
  tasks(live: TaskHandler): TaskHandler;
  uuid(): string;
}

/** What the interpreter will make of a task's failure: its error name and cause. */
function failureOf(thrown: unknown): { error: string; cause: string } {
  if (thrown instanceof StatesError) return { error: thrown.error, cause: thrown.causeText };
  if (thrown instanceof Error) return { error: thrown.name || "Error", cause: thrown.message };
  return { error: "Error", cause: String(thrown) };
}

function callKey(resource: string, input: unknown, stateName: string, attempt: number, context: Record<string, unknown>): string {
  const map = (context.Map as { Item?: { Index?: unknown } } | undefined)?.Item?.Index;
  return createHash("sha256").update(JSON.stringify([stateName, attempt, resource, map ?? null, input ?? null])).digest("base64url");
}

/** A version-4-shaped UUID derived from a seed and a counter. */
function seededUuid(seed: string, n: number): string {
  const h = createHash("sha256").update(`${seed}#${n}`).digest("hex");
  const variant = ((parseInt(h.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface RunStart {
  executionArn: string;
  /** The execution's start date (scheduler clock). */
  startDate: number;
  /** Run again after a restart: time is replayed from the start date. */
  resumed: boolean;
}

/** `signal` stops sleeps when the execution is stopped or the sandbox closes. */
export function durableRun(env: ServiceEnvironment, run: RunStart, journal: JournalSink, signal: AbortSignal): DurableRun {
  const recorded = new Map<string, JournalEntry[]>();
  for (const entry of journal.entries) {
    const list = recorded.get(entry.key);
    if (list) list.push(entry);
    else recorded.set(entry.key, [entry]);
  }
  let seq = journal.entries.reduce((max, e) => Math.max(max, e.seq + 1), 0);
  /** Replayed time; null once the run has caught up with the real clock. */
  let replayed: number | null = run.resumed ? run.startDate : null;
  /** Set while a replayed task's timeout race is being armed (see tasks()). */
  let skipTimeoutSleep = false;
  let uuids = 0;

  const advance = (t: number) => {
    if (replayed !== null) replayed = Math.max(replayed, t);
  };

  function realSleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      // A stopped execution wakes at once; the interpreter then sees the abort signal.
      if (signal.aborted) return resolve();
      const onAbort = () => {
        timer.cancel();
        resolve();
      };
      const timer = env.scheduler.setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  const clock: Clock = {
    now: () => new Date(replayed ?? env.scheduler.now()),
    sleep(ms) {
      if (skipTimeoutSleep) {
        // The replayed task already has its result; its timeout can never fire.
        skipTimeoutSleep = false;
        return new Promise<void>(() => undefined);
      }
      if (replayed === null) return realSleep(ms);
      const wake = replayed + Math.max(0, ms);
      const now = env.scheduler.now();
      if (wake <= now) {
        replayed = wake;
        return new Promise<void>((resolve) => setImmediate(resolve));
      }
      // This sleep reaches past the present: the replay is over, real time resumes.
      replayed = null;
      return realSleep(wake - now);
    },
  };

  function tasks(live: TaskHandler): TaskHandler {
    return (resource, input, ctx) => {
      const key = callKey(resource, input, ctx.stateName, ctx.attempt, ctx.context);
      const done = recorded.get(key)?.shift();
      if (done) {
        // The interpreter arms a task's TimeoutSeconds race with clock.sleep right after it
        // calls the handler, in the same turn; a replayed result must win that race.
        skipTimeoutSleep = true;
        queueMicrotask(() => {
          skipTimeoutSleep = false;
        });
        advance(done.at);
        if (done.status === "started") return Promise.reject(new StatesError("States.Runtime", RESTART_CAUSE));
        if (done.status === "failed") return Promise.reject(new StatesError(done.error ?? "States.TaskFailed", done.cause ?? ""));
        return Promise.resolve(structuredClone(done.output));
      }
      // A stopped run (StopExecution, the sandbox closing) starts nothing new, not even the
      // retry its back-off was waiting for when the stop woke it.
      if (signal.aborted) return Promise.reject(new StatesError("States.Runtime", "The execution was stopped."));
      // New work: from here on the run lives in real time.
      replayed = null;
      const entry: JournalEntry = { seq: seq++, key, status: "started", at: env.scheduler.now() };
      journal.write(entry);
      return Promise.resolve()
        .then(() => live(resource, input, ctx))
        .then(
          (output) => {
            journal.write({ ...entry, status: "succeeded", output: output ?? null, at: env.scheduler.now() });
            return output;
          },
          (thrown: unknown) => {
            const { error, cause } = failureOf(thrown);
            journal.write({ ...entry, status: "failed", error, cause, at: env.scheduler.now() });
            throw thrown;
          },
        );
    };
  }

  return { clock, tasks, uuid: () => seededUuid(run.executionArn, uuids++) };
}
