// Webhooks end to end on a real database (SQLite, and PostgreSQL in data-postgres) with a real
// HTTP receiver on 127.0.0.1: recorded attempts queue step.passed / step.regressed in the same
// transaction, the worker delivers them signed, retries with backoff (time driven through
// runDueDeliveries(now), no sleeps), never sends the same try twice, and re-checks the URL.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { StepReport } from "@/checkers/types";
import type { OutboundPolicy } from "@/semantics/net";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";

const skipReason = databaseSkipReason();
const LAB = "order-system";
const LOCAL: OutboundPolicy = { policy: "local", allowed: [] };
const HOSTED: OutboundPolicy = { policy: "hosted", allowed: [] };

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
  path: string;
}

/** A receiver whose answer to the n-th request (1-based) the test decides. */
async function startReceiver() {
  const received: Received[] = [];
  let answer: (n: number, r: Received) => { status: number; headers?: Record<string, string> } = () => ({ status: 200 });
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const r = { headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), path: req.url ?? "" };
      received.push(r);
      const a = answer(received.length, r);
      res.writeHead(a.status, a.headers ?? { "Content-Type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path = "/hook") => `http://127.0.0.1:${port}${path}`,
    port,
    received,
    answer: (fn: typeof answer) => {
      answer = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe.skipIf(skipReason)(`webhook delivery on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let db: (typeof import("@/lib/db/client"))["db"];
  let wh: typeof import("@/lib/webhooks");
  let recordAttempt: (typeof import("@/lib/grading/record"))["recordAttempt"];
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let instructor: { id: string; email: string; role: "instructor" };
  let cohortId: string;
  let userCounter = 0;

  const report = (step: number, status: "pass" | "fail" | "error"): StepReport => ({ step, slug: `step-${step}`, status, durationMs: 3, checks: [] });

  async function makeUser(role: "learner" | "instructor" | "admin" = "learner") {
    const { createUser } = await import("@/lib/users");
    const u = await createUser({ email: `wh${++userCounter}-${role}@example.com`, name: `User ${userCounter}`, password: "correct horse battery", role });
    return { id: u.id, email: u.email, role };
  }
  async function makeCohort(ownerId: string) {
    const c = await db.cohort.create({ data: { name: "Webhook cohort", joinCode: `J${Math.random().toString(36).slice(2, 10)}`, ownerId } });
    return c.id;
  }
  async function learnerIn(...cohorts: string[]) {
    const u = await makeUser();
    for (const c of cohorts) await db.membership.create({ data: { cohortId: c, userId: u.id } });
    return u;
  }
  const deliveriesOf = (webhookId: string) => db.webhookDelivery.findMany({ where: { webhookId }, orderBy: { createdAt: "asc" } });

  beforeAll(async () => {
    await useTestDatabase();
    db = (await import("@/lib/db/client")).db;
    wh = await import("@/lib/webhooks");
    recordAttempt = (await import("@/lib/grading/record")).recordAttempt;
    receiver = await startReceiver();
    instructor = { ...(await makeUser("instructor")), role: "instructor" };
    cohortId = await makeCohort(instructor.id);
  });

  afterEach(async () => {
    await wh.stopWebhookWorker();
    receiver.answer(() => ({ status: 200 }));
    // Each test starts with an empty queue: leftovers of one test must not be sent in another.
    await db.webhookDelivery.deleteMany({});
    await db.webhook.deleteMany({});
    receiver.received.length = 0;
  });

  afterAll(async () => {
    await wh?.stopWebhookWorker();
    await receiver?.close();
  });

  it("queues step.passed on a first pass and on a pass after failing, step.regressed on pass → fail, nothing otherwise", async () => {
    const { webhook } = await wh.createWebhook(instructor, cohortId, { url: receiver.url() }, { policy: LOCAL });
    const learner = await learnerIn(cohortId);
    const t0 = new Date("2026-11-26T12:00:00Z");
    const at = (s: number) => new Date(t0.getTime() + s * 1000);
    const types = async () => (await deliveriesOf(webhook.id)).map((d) => `${JSON.parse(d.payload).step}:${d.type}`);

    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(1, "fail"), now: at(0) });
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(1, "fail"), now: at(1) });
    expect(await types()).toEqual([]); // never checked → fail, fail → fail
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(1, "pass"), now: at(2) });
    expect(await types()).toEqual(["1:step.passed"]); // pass after failing
    await recordAttempt({ userId: learner.id, lab: LAB, source: "cli", report: report(1, "pass"), now: at(3) });
    expect(await types()).toEqual(["1:step.passed"]); // pass → pass
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(1, "fail"), now: at(4) });
    expect(await types()).toEqual(["1:step.passed", "1:step.regressed"]);
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(1, "error"), now: at(5) });
    expect(await types()).toEqual(["1:step.passed", "1:step.regressed"]); // fail → error is no event
    await recordAttempt({ userId: learner.id, lab: LAB, source: "api", report: report(2, "pass"), now: at(6) });
    expect(await types()).toEqual(["1:step.passed", "1:step.regressed", "2:step.passed"]); // first check a pass
  });

  it("delivers exactly ARCHITECTURE's body, signed with the secret shown at registration", async () => {
    const { webhook, secret } = await wh.createWebhook(instructor, cohortId, { url: receiver.url("/lab-events?tag=1") }, { policy: LOCAL });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const learner = await learnerIn(cohortId);
    const now = new Date("2026-11-26T13:00:00Z");
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(3, "pass"), now });

    expect(await wh.runDueDeliveries(now, { policy: LOCAL })).toMatchObject({ delivered: 1 });
    expect(receiver.received).toHaveLength(1);
    const got = receiver.received[0]!;
    const [row] = await deliveriesOf(webhook.id);
    expect(got.path).toBe("/lab-events?tag=1");
    expect(JSON.parse(got.body)).toEqual({
      id: row!.eventId,
      type: "step.passed",
      occurredAt: now.toISOString(),
      lab: LAB,
      step: 3,
      user: { id: learner.id, email: learner.email },
      cohort: { id: cohortId },
    });
    expect(Object.keys(JSON.parse(got.body))).toEqual(["id", "type", "occurredAt", "lab", "step", "user", "cohort"]);
    expect(got.headers["content-type"]).toBe("application/json");
    expect(got.headers["user-agent"]).toBe("LabGrader-Webhooks/1");
    expect(got.headers["x-lab-grader-event"]).toBe("step.passed");
    expect(got.headers["x-lab-grader-delivery"]).toBe(row!.id);

    const signature = got.headers["x-lab-grader-signature"] as string;
    expect(signature).toMatch(new RegExp(`^t=${Math.floor(now.getTime() / 1000)},v1=[0-9a-f]{64}$`));
    expect(wh.verifySignature(secret, signature, got.body, { now })).toBe(true);
    expect(wh.verifySignature(`whsec_${"A".repeat(43)}`, signature, got.body, { now })).toBe(false);
    expect(wh.verifySignature(secret, signature, got.body.replace('"step":3', '"step":4'), { now })).toBe(false);
    expect(wh.verifySignature(secret, signature, got.body, { now: new Date(now.getTime() + 301_000) })).toBe(false);

    expect(row).toMatchObject({ status: "delivered", tries: 1, responseStatus: 200, nextAttemptAt: null, error: null });
    const [view] = await wh.listDeliveries(instructor, webhook.id);
    expect(view).toMatchObject({ status: "delivered", tries: 1, responseStatus: 200, type: "step.passed", step: 3, learner: { id: learner.id, email: learner.email }, lastError: null });
    // Delivered once: a later round sends nothing more.
    expect(await wh.runDueDeliveries(new Date(now.getTime() + 3_600_000), { policy: LOCAL })).toMatchObject({ delivered: 0 });
    expect(receiver.received).toHaveLength(1);
  });

  it("sends one delivery per active webhook of every cohort the learner is in, and none to paused ones", async () => {
    const other = await makeUser("instructor");
    const second = await makeCohort(other.id);
    const a = (await wh.createWebhook(instructor, cohortId, { url: receiver.url("/a") }, { policy: LOCAL })).webhook;
    const b = (await wh.createWebhook(other, second, { url: receiver.url("/b") }, { policy: LOCAL })).webhook;
    const paused = (await wh.createWebhook(other, second, { url: receiver.url("/paused") }, { policy: LOCAL })).webhook;
    await wh.setWebhookActive(other, paused.id, false);
    const learner = await learnerIn(cohortId, second);
    const outsider = await learnerIn();
    const now = new Date("2026-11-26T14:00:00Z");
    await recordAttempt({ userId: outsider.id, lab: LAB, source: "web", report: report(1, "pass"), now });
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(1, "pass"), now });
    expect(await db.webhookDelivery.count({ where: { webhookId: paused.id } })).toBe(0);
    await wh.runDueDeliveries(now, { policy: LOCAL });
    const byPath = Object.fromEntries(receiver.received.map((r) => [r.path, JSON.parse(r.body) as { id: string; cohort: { id: string }; user: { id: string } }]));
    expect(Object.keys(byPath).sort()).toEqual(["/a", "/b"]);
    expect(byPath["/a"]).toMatchObject({ cohort: { id: cohortId }, user: { id: learner.id } });
    expect(byPath["/b"]).toMatchObject({ cohort: { id: second }, user: { id: learner.id } });
    expect(byPath["/a"]!.id).not.toBe(byPath["/b"]!.id);
    expect((await deliveriesOf(a.id)).map((d) => d.status)).toEqual(["delivered"]);
    expect((await deliveriesOf(b.id)).map((d) => d.status)).toEqual(["delivered"]);
  });

  it("stores no event for an attempt that was not stored: the delivery is in the attempt's transaction", async () => {
    await wh.createWebhook(instructor, cohortId, { url: receiver.url() }, { policy: LOCAL });
    const learner = await learnerIn(cohortId);
    if (testProvider() === "postgresql") {
      await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION refuse_wh_attempt() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql`);
      await db.$executeRawUnsafe(`CREATE TRIGGER refuse_wh_attempt BEFORE INSERT ON "Attempt" FOR EACH ROW WHEN (NEW.lab = 'refused-lab') EXECUTE FUNCTION refuse_wh_attempt()`);
    } else {
      await db.$executeRawUnsafe(`CREATE TRIGGER refuse_wh_attempt BEFORE INSERT ON "Attempt" WHEN NEW.lab = 'refused-lab' BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    }
    await expect(recordAttempt({ userId: learner.id, lab: "refused-lab", source: "web", report: report(1, "pass"), now: new Date() })).rejects.toThrow();
    expect(await db.webhookDelivery.count()).toBe(0);
    expect(await db.stepProgress.count({ where: { userId: learner.id } })).toBe(0);
  });

  it("tries a failing receiver 5 times with backoff 40, 80, 160, 320 s, logs each try, then marks it failed", async () => {
    const { webhook } = await wh.createWebhook(instructor, cohortId, { url: receiver.url() }, { policy: LOCAL });
    receiver.answer(() => ({ status: 500 }));
    const learner = await learnerIn(cohortId);
    const t0 = new Date("2026-11-26T15:00:00Z");
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(1, "pass"), now: t0 });
    const deps = { policy: LOCAL, retryBaseMs: 40_000 };

    let now = t0;
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 5; attempt++) {
      // Just before it is due, nothing is sent.
      if (attempt > 1) {
        expect(await wh.runDueDeliveries(new Date(now.getTime() - 1), deps)).toMatchObject({ retry: 0, failed: 0 });
        expect(receiver.received).toHaveLength(attempt - 1);
      }
      await wh.runDueDeliveries(now, deps);
      expect(receiver.received).toHaveLength(attempt);
      const [row] = await deliveriesOf(webhook.id);
      expect(row).toMatchObject({ tries: attempt, responseStatus: 500 });
      if (attempt < 5) {
        expect(row!.status).toBe("pending");
        delays.push((row!.nextAttemptAt!.getTime() - now.getTime()) / 1000);
        now = row!.nextAttemptAt!;
      } else {
        expect(row).toMatchObject({ status: "failed", nextAttemptAt: null });
      }
    }
    expect(delays).toEqual([40, 80, 160, 320]);
    // Every try carried the same event and delivery id.
    expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
    expect(new Set(receiver.received.map((r) => r.headers["x-lab-grader-delivery"])).size).toBe(1);

    const [view] = await wh.listDeliveries(instructor, webhook.id);
    expect(view).toMatchObject({ status: "failed", tries: 5, responseStatus: 500, nextAttemptAt: null, lastError: "The receiver answered HTTP 500." });
    expect(view!.failedTries.map((t) => [t.try, t.status])).toEqual([[1, 500], [2, 500], [3, 500], [4, 500], [5, 500]]);
    expect(view!.failedTries.map((t) => t.at)).toEqual([0, 40, 120, 280, 600].map((s) => new Date(t0.getTime() + s * 1000).toISOString()));

    // Nothing more happens on its own, however late it gets.
    await wh.runDueDeliveries(new Date(t0.getTime() + 86_400_000), deps);
    expect(receiver.received).toHaveLength(5);

    // "Retry now" gives a failed delivery one more try, which can succeed.
    receiver.answer(() => ({ status: 204 }));
    const later = new Date(t0.getTime() + 90_000_000);
    await wh.retryDelivery(instructor, view!.id, later);
    await expect(wh.retryDelivery(instructor, view!.id, later)).rejects.toThrow(/only a failed delivery/i);
    await wh.runDueDeliveries(later, deps);
    expect(receiver.received).toHaveLength(6);
    expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ status: "delivered", tries: 6, responseStatus: 204 });
  });

  it("delivers to a receiver that recovers on the third try", async () => {
    const { webhook } = await wh.createWebhook(instructor, cohortId, { url: receiver.url() }, { policy: LOCAL });
    receiver.answer((n) => ({ status: n < 3 ? 503 : 200 }));
    const learner = await learnerIn(cohortId);
    const t0 = new Date("2026-11-26T16:00:00Z");
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(2, "pass"), now: t0 });
    const deps = { policy: LOCAL, retryBaseMs: 40_000 };
    await wh.runDueDeliveries(t0, deps);
    await wh.runDueDeliveries(new Date(t0.getTime() + 40_000), deps);
    await wh.runDueDeliveries(new Date(t0.getTime() + 120_000), deps);
    expect(receiver.received).toHaveLength(3);
    const [row] = await deliveriesOf(webhook.id);
    expect(row).toMatchObject({ status: "delivered", tries: 3, responseStatus: 200, nextAttemptAt: null });
    const [view] = await wh.listDeliveries(instructor, webhook.id);
    expect(view!.failedTries.map((t) => t.status)).toEqual([503, 503]);
    expect(view!.lastError).toBeNull();
  });

  it("treats a redirect as a failed try and never follows it", async () => {
    const { webhook } = await wh.createWebhook(instructor, cohortId, { url: receiver.url("/moved") }, { policy: LOCAL });
    receiver.answer((_n, r) => (r.path === "/moved" ? { status: 302, headers: { Location: receiver.url("/elsewhere") } } : { status: 200 }));
    const learner = await learnerIn(cohortId);
    const now = new Date("2026-11-26T17:00:00Z");
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(1, "pass"), now });
    await wh.runDueDeliveries(now, { policy: LOCAL });
    expect(receiver.received.map((r) => r.path)).toEqual(["/moved"]);
    const [view] = await wh.listDeliveries(instructor, webhook.id);
    expect(view).toMatchObject({ status: "pending", tries: 1, responseStatus: 302 });
    expect(view!.lastError).toMatch(/redirect/i);
  });

  it("gives up on a receiver that does not answer within the timeout, and logs why", async () => {
    const silent = http.createServer(() => {
      // Never answers.
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      const { webhook } = await wh.createWebhook(instructor, cohortId, { url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}/slow` }, { policy: LOCAL });
      const learner = await learnerIn(cohortId);
      const now = new Date("2026-11-26T17:30:00Z");
      await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(1, "pass"), now });
      const started = Date.now();
      expect(await wh.runDueDeliveries(now, { policy: LOCAL, timeoutMs: 300 })).toMatchObject({ retry: 1 });
      expect(Date.now() - started).toBeLessThan(5_000);
      const [view] = await wh.listDeliveries(instructor, webhook.id);
      expect(view).toMatchObject({ status: "pending", tries: 1, responseStatus: null });
      expect(view!.lastError).toMatch(/did not answer within/);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("refuses at delivery a URL that became hostile (DNS changed): nothing is sent, the try is logged", async () => {
    let address = "203.0.113.10";
    const resolve = async (host: string) => (host === "hooks.example.test" ? [address] : []);
    const hostedDeps = { policy: HOSTED, resolve };
    const { webhook } = await wh.createWebhook(instructor, cohortId, { url: `http://hooks.example.test:${receiver.port}/hook` }, hostedDeps);
    const learner = await learnerIn(cohortId);
    const now = new Date("2026-11-26T18:00:00Z");
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(1, "pass"), now });
    address = "127.0.0.1";
    expect(await wh.runDueDeliveries(now, hostedDeps)).toMatchObject({ retry: 1 });
    expect(receiver.received).toHaveLength(0);
    const [view] = await wh.listDeliveries(instructor, webhook.id);
    expect(view).toMatchObject({ status: "pending", tries: 1, responseStatus: null });
    expect(view!.lastError).toMatch(/^Not sent: the URL is no longer allowed\. .*127\.0\.0\.1.*loopback/);
  });

  it("checks the address the connection really uses: a name that resolves to loopback is refused at connect time", async () => {
    // The pre-check is told a public address, but the real resolver says "localhost" is loopback:
    // the connection itself is refused, so a DNS answer that changes between check and connect
    // cannot reach the host's network.
    const { webhook } = await wh.createWebhook(instructor, cohortId, { url: `http://localhost:${receiver.port}/hook` }, { policy: LOCAL });
    const learner = await learnerIn(cohortId);
    const now = new Date("2026-11-26T18:30:00Z");
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(1, "pass"), now });
    await wh.runDueDeliveries(now, { policy: HOSTED, resolve: async () => ["203.0.113.10"] });
    expect(receiver.received).toHaveLength(0);
    const [view] = await wh.listDeliveries(instructor, webhook.id);
    expect(view!.lastError).toMatch(/^Not sent: The host localhost resolves to .*loopback/);
  });

  it("sends each try once when two workers run at the same time", async () => {
    const { webhook } = await wh.createWebhook(instructor, cohortId, { url: receiver.url() }, { policy: LOCAL });
    const now = new Date("2026-11-26T19:00:00Z");
    for (let i = 0; i < 4; i++) {
      const learner = await learnerIn(cohortId);
      for (const step of [1, 2]) await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(step, "pass"), now });
    }
    expect(await db.webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(8);
    const [a, b, c] = await Promise.all([1, 2, 3].map(() => wh.runDueDeliveries(now, { policy: LOCAL })));
    expect(a!.delivered + b!.delivered + c!.delivered).toBe(8);
    expect(receiver.received).toHaveLength(8);
    expect(new Set(receiver.received.map((r) => r.headers["x-lab-grader-delivery"])).size).toBe(8);
    expect((await deliveriesOf(webhook.id)).every((d) => d.status === "delivered" && d.tries === 1)).toBe(true);
  });

  it("signs with the rotated secret after a rotation, and sends a test event marked as a test", async () => {
    const first = await wh.createWebhook(instructor, cohortId, { url: receiver.url() }, { policy: LOCAL });
    const { secret } = await wh.rotateWebhookSecret(instructor, first.webhook.id);
    expect(secret).not.toBe(first.secret);
    const now = new Date("2026-11-26T20:00:00Z");
    const { deliveryId } = await wh.sendTestEvent(instructor, first.webhook.id, now);
    await wh.runDueDeliveries(now, { policy: LOCAL });
    const got = receiver.received[0]!;
    expect(got.headers["x-lab-grader-event"]).toBe("ping");
    expect(got.headers["x-lab-grader-delivery"]).toBe(deliveryId);
    expect(JSON.parse(got.body)).toMatchObject({ type: "ping", test: true, cohort: { id: cohortId }, user: { id: instructor.id, email: instructor.email } });
    const signature = got.headers["x-lab-grader-signature"] as string;
    expect(wh.verifySignature(secret, signature, got.body, { now })).toBe(true);
    expect(wh.verifySignature(first.secret, signature, got.body, { now })).toBe(false);
  });

  it("holds deliveries of a paused webhook until it is resumed", async () => {
    const { webhook } = await wh.createWebhook(instructor, cohortId, { url: receiver.url() }, { policy: LOCAL });
    const learner = await learnerIn(cohortId);
    const now = new Date("2026-11-26T21:00:00Z");
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(4, "pass"), now });
    await wh.setWebhookActive(instructor, webhook.id, false);
    await wh.runDueDeliveries(now, { policy: LOCAL });
    expect(receiver.received).toHaveLength(0);
    await wh.setWebhookActive(instructor, webhook.id, true);
    await wh.runDueDeliveries(now, { policy: LOCAL });
    expect(receiver.received).toHaveLength(1);
  });

  it("the running worker delivers a new event at once (kicked by the enqueue) and stops cleanly", async () => {
    const { webhook } = await wh.createWebhook(instructor, cohortId, { url: receiver.url() }, { policy: LOCAL });
    const learner = await learnerIn(cohortId);
    // A long poll: only the kick can deliver within the test's wait.
    expect(wh.startWebhookWorker(600_000)).toBe(true);
    expect(wh.startWebhookWorker(600_000)).toBe(false);
    await recordAttempt({ userId: learner.id, lab: LAB, source: "web", report: report(5, "pass"), now: new Date() });
    const deadline = Date.now() + 5_000;
    while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(receiver.received).toHaveLength(1);
    await wh.stopWebhookWorker();
    expect((await deliveriesOf(webhook.id))[0]).toMatchObject({ status: "delivered" });
    expect(wh.startWebhookWorker("off")).toBe(false);
  });
});
