// The delivery worker: in the Next server process (instrumentation.ts) it polls the queue every
// WEBHOOK_POLL_MS, and an enqueue in this process kicks it at once. Any instance may run one;
// claims (deliver.ts) keep two from sending the same try. It never throws into the server: a
// failed round is logged (without payloads or secrets) and the next one tries again.
import { db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { attemptDelivery, type DeliveryDeps, type TryOutcome } from "./deliver";

const BATCH = 25;
const CONCURRENCY = 4;

export interface RoundSummary {
  delivered: number;
  retry: number;
  failed: number;
  skipped: number;
}

/** Makes every try that is due at `now`; tests call this directly with an advancing `now`. */
export async function runDueDeliveries(now: Date = new Date(), deps: DeliveryDeps = {}): Promise<RoundSummary> {
  const due = await db.webhookDelivery.findMany({
    where: { status: "pending", webhook: { active: true }, OR: [{ nextAttemptAt: null }, { nextAttemptAt: { lte: now } }] },
    orderBy: [{ nextAttemptAt: "asc" }, { createdAt: "asc" }],
    take: BATCH,
    select: { id: true },
  });
  const summary: RoundSummary = { delivered: 0, retry: 0, failed: 0, skipped: 0 };
  const queue = due.map((d) => d.id);
  const work = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      let outcome: TryOutcome;
      try {
        outcome = await attemptDelivery(id, now, deps);
      } catch (err) {
        logFailure(`delivery ${id}`, err);
        outcome = "skipped";
      }
      summary[outcome] += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, work));
  return summary;
}

function logFailure(what: string, err: unknown) {
  // The message only: stack traces and objects could carry payloads or connection strings.
  console.error(`Webhook worker: ${what} failed: ${err instanceof Error ? err.message.slice(0, 300) : "unknown error"}`);
}

// The timer of THIS process (safe to lose: the queue itself is in the database). Kept on
// globalThis so a re-imported module (Next dev) does not start a second loop.
interface WorkerState {
  timer: NodeJS.Timeout | null;
  running: Promise<void> | null;
  pollMs: number;
  again: boolean;
}
const holder = globalThis as unknown as { labGraderWebhookWorker?: WorkerState };

async function round(state: WorkerState) {
  if (state.running) {
    state.again = true; // a kick during a round: run once more straight after it
    return state.running;
  }
  state.running = (async () => {
    do {
      state.again = false;
      try {
        const s = await runDueDeliveries();
        // A full batch may mean more are due: go again instead of waiting a whole poll.
        if (s.delivered + s.retry + s.failed >= BATCH) state.again = true;
      } catch (err) {
        logFailure("a round", err);
      }
    } while (state.again && holder.labGraderWebhookWorker === state);
  })();
  try {
    await state.running;
  } finally {
    state.running = null;
  }
}

function schedule(state: WorkerState) {
  state.timer = setTimeout(() => {
    void round(state).finally(() => {
      if (holder.labGraderWebhookWorker === state) schedule(state);
    });
  }, state.pollMs);
  // Never the reason a process stays alive.
  state.timer.unref();
}

/** Starts polling (unless WEBHOOK_POLL_MS is "off"); false when it is off or already running. */
export function startWebhookWorker(pollMs: number | "off" = env.WEBHOOK_POLL_MS): boolean {
  if (pollMs === "off" || holder.labGraderWebhookWorker) return false;
  const state: WorkerState = { timer: null, running: null, pollMs, again: false };
  holder.labGraderWebhookWorker = state;
  schedule(state);
  return true;
}

/** Stops polling and waits for a round in progress to finish. */
export async function stopWebhookWorker(): Promise<void> {
  const state = holder.labGraderWebhookWorker;
  if (!state) return;
  holder.labGraderWebhookWorker = undefined;
  if (state.timer) clearTimeout(state.timer);
  await state.running;
}

export function isWebhookWorkerRunning(): boolean {
  return holder.labGraderWebhookWorker !== undefined;
}

/** Delivers new events now rather than at the next poll; does nothing where no worker runs in this process. */
export function kickWebhookWorker(): void {
  const state = holder.labGraderWebhookWorker;
  if (!state) return;
  setImmediate(() => void round(state));
}
