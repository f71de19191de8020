// Registering and managing a cohort's webhooks on a real database: who may, which URLs are
// refused (and that a refusal stores nothing), the secret kept only sealed, and the audit log.
import { beforeAll, describe, expect, it } from "vitest";
import type { OutboundPolicy, Resolver } from "@/semantics/net";
import { databaseSkipReason, testProvider, useTestDatabase } from "../../support/test-database";

const skipReason = databaseSkipReason();
const LOCAL: OutboundPolicy = { policy: "local", allowed: [] };
const HOSTED: OutboundPolicy = { policy: "hosted", allowed: [] };
// Names resolve as the test says; nothing here reaches real DNS.
const resolve: Resolver = async (host) => ({ "hooks.example.com": ["203.0.113.10"], "sneaky.example.com": ["127.0.0.1"], "mixed.example.com": ["203.0.113.11", "10.1.2.3"] })[host] ?? [];
const hosted = { policy: HOSTED, resolve };

describe.skipIf(skipReason)(`webhook registration and access on ${testProvider()}${skipReason ? ` (skipped: ${skipReason})` : ""}`, () => {
  let db: (typeof import("@/lib/db/client"))["db"];
  let wh: typeof import("@/lib/webhooks");
  let errors: typeof import("@/lib/errors");
  type Viewer = { id: string; email: string; role: "learner" | "instructor" | "admin" };
  let owner: Viewer, otherInstructor: Viewer, admin: Viewer, learner: Viewer;
  let cohortId: string;
  let n = 0;

  async function makeUser(role: Viewer["role"]): Promise<Viewer> {
    const { createUser } = await import("@/lib/users");
    const u = await createUser({ email: `acc${++n}-${role}@example.com`, name: `User ${n}`, password: "correct horse battery", role });
    return { id: u.id, email: u.email, role };
  }

  beforeAll(async () => {
    await useTestDatabase();
    db = (await import("@/lib/db/client")).db;
    wh = await import("@/lib/webhooks");
    errors = await import("@/lib/errors");
    owner = await makeUser("instructor");
    otherInstructor = await makeUser("instructor");
    admin = await makeUser("admin");
    learner = await makeUser("learner");
    cohortId = (await db.cohort.create({ data: { name: "Access cohort", joinCode: "ACCESS01", ownerId: owner.id } })).id;
    await db.membership.create({ data: { cohortId, userId: learner.id } });
  });

  it("lets the cohort's instructor register a URL; the secret is returned once and stored only sealed", async () => {
    const { webhook, secret } = await wh.createWebhook(owner, cohortId, { url: "https://hooks.example.com/lab?token=abc" }, hosted);
    expect(webhook).toEqual({ id: webhook.id, cohortId, url: "https://hooks.example.com/lab?token=abc", active: true, createdAt: expect.any(String) });
    expect(secret).toMatch(/^whsec_/);
    const row = await db.webhook.findUniqueOrThrow({ where: { id: webhook.id } });
    for (const value of Object.values(row)) expect(String(value)).not.toContain(secret.slice(6));
    const { open } = await import("@/lib/connections/secret-box");
    expect(open(row.secretEnc)).toBe(secret);
    const listed = await wh.listWebhooks(owner, cohortId);
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain("secret");
    expect(JSON.stringify(listed)).not.toContain(row.secretEnc);
    // The audit row names the webhook, not the secret nor the URL's query (which may hold a token).
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "webhook.create", cohortId } });
    expect(audit.actorId).toBe(owner.id);
    expect(JSON.parse(audit.details)).toEqual({ webhookId: webhook.id, url: "https://hooks.example.com/lab" });
    expect(audit.details).not.toContain(secret.slice(6));
  });

  it.each([
    ["file:///etc/passwd", /only http and https/i],
    ["ftp://hooks.example.com/x", /only http and https/i],
    ["https://user:pass@hooks.example.com/x", /user name or password/i],
    ["http://169.254.169.254/latest/meta-data/", /link-local/i],
    ["http://127.0.0.1:8080/hook", /loopback/i],
    ["http://10.0.0.1/hook", /private/i],
    ["http://[::1]:3000/hook", /loopback/i],
    ["http://[fd00::1]/hook", /unique-local/i],
    ["https://sneaky.example.com/hook", /resolves to 127\.0\.0\.1.*loopback/i],
    ["https://mixed.example.com/hook", /resolves to 10\.1\.2\.3.*private/i],
    ["https://nowhere.example.com/hook", /resolves to no address/i],
    [`https://hooks.example.com/${"x".repeat(2000)}`, /too long/i],
  ])("refuses %s in hosted mode and stores nothing", async (url, why) => {
    const webhooks = await db.webhook.count();
    const audits = await db.auditLog.count();
    const err = await wh.createWebhook(owner, cohortId, { url }, hosted).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(errors.DomainError);
    expect((err as Error).message).toMatch(/^That URL cannot receive webhooks: /);
    expect((err as Error).message).toMatch(why);
    expect((err as InstanceType<typeof errors.DomainError>).status).toBe(422);
    expect(await db.webhook.count()).toBe(webhooks);
    expect(await db.auditLog.count()).toBe(audits);
  });

  it("allows loopback in local mode and a listed address in hosted mode", async () => {
    const local = await wh.createWebhook(owner, cohortId, { url: "http://127.0.0.1:9/hook" }, { policy: LOCAL });
    const listed = await wh.createWebhook(owner, cohortId, { url: "http://10.0.0.1/hook" }, { policy: { policy: "hosted", allowed: ["10.0.0.0/8"] }, resolve });
    await wh.deleteWebhook(owner, local.webhook.id);
    await wh.deleteWebhook(owner, listed.webhook.id);
  });

  it("refuses learners and other instructors everything, and lets the owner and an admin manage", async () => {
    const { webhook } = await wh.createWebhook(admin, cohortId, { url: "https://hooks.example.com/admin" }, hosted);
    const { deliveryId } = await wh.sendTestEvent(owner, webhook.id);
    for (const viewer of [learner, otherInstructor]) {
      // Thunks, run one at a time: a refusal created early would reject before anyone awaits it.
      const attempts: (() => Promise<unknown>)[] = [
        () => wh.listWebhooks(viewer, cohortId),
        () => wh.createWebhook(viewer, cohortId, { url: "https://hooks.example.com/x" }, hosted),
        () => wh.deleteWebhook(viewer, webhook.id),
        () => wh.setWebhookActive(viewer, webhook.id, false),
        () => wh.rotateWebhookSecret(viewer, webhook.id),
        () => wh.sendTestEvent(viewer, webhook.id),
        () => wh.listDeliveries(viewer, webhook.id),
        () => wh.retryDelivery(viewer, deliveryId),
      ];
      for (const attempt of attempts) {
        const err = await attempt().catch((e: unknown) => e);
        // A learner is told no (403); another instructor is not even told the cohort exists (404).
        expect(err).toBeInstanceOf(viewer.role === "learner" ? errors.ForbiddenError : errors.NotFoundError);
      }
    }
    expect(await db.webhook.findUnique({ where: { id: webhook.id } })).toMatchObject({ active: true });
    expect(await db.webhook.count({ where: { cohortId, url: "https://hooks.example.com/x" } })).toBe(0);
    expect(await db.webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(1);

    expect((await wh.listWebhooks(admin, cohortId)).map((w) => w.id)).toContain(webhook.id);
    expect((await wh.listDeliveries(admin, webhook.id)).map((d) => d.id)).toEqual([deliveryId]);
    expect(await wh.setWebhookActive(owner, webhook.id, false)).toMatchObject({ active: false });
    expect(await wh.setWebhookActive(admin, webhook.id, true)).toMatchObject({ active: true });
    await wh.deleteWebhook(admin, webhook.id);
    expect(await db.webhook.findUnique({ where: { id: webhook.id } })).toBeNull();
    expect(await db.webhookDelivery.count({ where: { webhookId: webhook.id } })).toBe(0);
    await expect(wh.deleteWebhook(owner, webhook.id)).rejects.toBeInstanceOf(errors.NotFoundError);
    await expect(wh.listWebhooks(owner, "no-such-cohort")).rejects.toBeInstanceOf(errors.NotFoundError);
  });

  it("audits every change, and never with a secret", async () => {
    const { webhook, secret } = await wh.createWebhook(owner, cohortId, { url: "https://hooks.example.com/audited" }, hosted);
    await wh.setWebhookActive(owner, webhook.id, false);
    await wh.setWebhookActive(owner, webhook.id, true);
    const rotated = await wh.rotateWebhookSecret(owner, webhook.id);
    await wh.sendTestEvent(owner, webhook.id);
    await wh.deleteWebhook(owner, webhook.id);
    const rows = await db.auditLog.findMany({ where: { cohortId, details: { contains: webhook.id } }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(rows.map((r) => r.action)).toEqual(["webhook.create", "webhook.pause", "webhook.resume", "webhook.secret.rotate", "webhook.test", "webhook.delete"]);
    expect(rows.every((r) => r.actorId === owner.id)).toBe(true);
    for (const r of rows) {
      expect(r.details).not.toContain(secret.slice(6));
      expect(r.details).not.toContain(rotated.secret.slice(6));
    }
  });

  it("allows at most 10 webhooks per cohort", async () => {
    const cohort = (await db.cohort.create({ data: { name: "Full", joinCode: "FULL0001", ownerId: owner.id } })).id;
    for (let i = 0; i < 10; i++) await wh.createWebhook(owner, cohort, { url: `https://hooks.example.com/${i}` }, hosted);
    await expect(wh.createWebhook(owner, cohort, { url: "https://hooks.example.com/11" }, hosted)).rejects.toThrow(/at most 10 webhooks/);
    expect(await db.webhook.count({ where: { cohortId: cohort } })).toBe(10);
  });
});
