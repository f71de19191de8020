// An in-memory ServiceEnvironment for unit tests of one service's handlers: no HTTP, no disk.
// `call` reaches services registered with `register`; timers run on a manual clock.
import { randomUUID } from "node:crypto";
import type { DurableStore, RequestContext, Scheduler, ServiceEnvironment, ServiceModule } from "./contracts";
import { AwsError } from "./contracts";

export function memoryStore(): DurableStore {
  const tables = new Map<string, Map<string, unknown>>();
  const table = (name: string) => {
    let t = tables.get(name);
    if (!t) tables.set(name, (t = new Map()));
    return t;
  };
  return {
    load: <T>(name: string) => [...table(name).entries()].map(([k, v]) => [k, structuredClone(v) as T] as [string, T]),
    put: (name, key, value) => void table(name).set(key, structuredClone(value)),
    delete: (name, key) => void table(name).delete(key),
    deletePrefix: (name, prefix) => {
      for (const key of [...table(name).keys()]) if (key.startsWith(prefix)) table(name).delete(key);
    },
    transaction: (fn) => fn(),
  };
}

/** A scheduler whose time only moves when the test calls advance(ms). */
export function manualScheduler(start = Date.UTC(2026, 0, 1)): Scheduler & { advance(ms: number): Promise<void> } {
  let now = start;
  let timers: { at: number; fn: () => void; every?: number; id: number }[] = [];
  let nextId = 1;
  const add = (fn: () => void, ms: number, every?: number) => {
    const id = nextId++;
    timers.push({ at: now + Math.max(0, ms), fn, id, ...(every ? { every } : {}) });
    return { cancel: () => void (timers = timers.filter((t) => t.id !== id)) };
  };
  return {
    now: () => now,
    setTimeout: (fn, ms) => add(fn, ms),
    setInterval: (fn, ms) => add(fn, ms, Math.max(1, ms)),
    async advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = due.at;
        if (due.every) due.at += due.every;
        else timers = timers.filter((t) => t.id !== due.id);
        due.fn();
        await new Promise((r) => setImmediate(r));
      }
      now = until;
    },
  };
}

export function memoryEnvironment(options: Partial<ServiceEnvironment["options"]> = {}) {
  const services = new Map<string, ServiceModule>();
  const scheduler = manualScheduler();
  const env: ServiceEnvironment & { register(m: ServiceModule): void; scheduler: ReturnType<typeof manualScheduler> } = {
    store: memoryStore(),
    scheduler,
    options: { mode: "local", lambdaExec: true, dataDir: "/tmp/lab-grader-memory-env", ...options },
    newRequestId: () => randomUUID(),
    async checkOutbound() {
      return { ok: true };
    },
    async call(signingName, operation, input, ctx) {
      const op = services.get(signingName)?.definition.operations[operation];
      if (!op) throw new AwsError("InvalidAction", `The action ${operation} is not valid for ${signingName}.`);
      return (await op.handler(input, ctx)) as Record<string, unknown>;
    },
    register(m) {
      services.set(m.definition.signingName, m);
    },
  };
  return env;
}

/** A request context for an account's root (the default) in us-east-1. */
export function rootContext(accountId = "000000000000", region = "us-east-1", now = Date.now()): RequestContext {
  return { accountId, region, requestId: randomUUID(), now, principal: { kind: "account", accountId, arn: `arn:aws:iam::${accountId}:root` } };
}
