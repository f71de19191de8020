// When an attempt makes an event, the exact body, and when a failed try is tried again.
import { describe, expect, it } from "vitest";
import { retryDelayMs } from "@/lib/webhooks/backoff";
import { eventBody, newEventId, stepTransition } from "@/lib/webhooks/events";
import { deliveriesFor } from "@/lib/webhooks/enqueue";
import { appendTry, parseTryLog } from "@/lib/webhooks/try-log";
import { parseWebhookUrl } from "@/lib/webhooks/url-policy";

describe("step transitions", () => {
  it.each([
    [null, "pass", "step.passed"],
    ["fail", "pass", "step.passed"],
    ["error", "pass", "step.passed"],
    ["pass", "fail", "step.regressed"],
    ["pass", "error", "step.regressed"],
    [null, "fail", null],
    ["fail", "fail", null],
    ["error", "fail", null],
    ["pass", "pass", null],
  ])("%s → %s is %s", (before, after, event) => {
    expect(stepTransition(before, after)).toBe(event);
  });
});

describe("event bodies", () => {
  it("has exactly ARCHITECTURE's fields in order, whatever extra the caller had", () => {
    const e = { id: "evt_1", type: "step.passed" as const, occurredAt: "2026-11-26T12:00:00.000Z", lab: "order-system", step: 3, user: { id: "u1", email: "a@example.com", role: "x" }, cohort: { id: "c1", name: "n" } };
    expect(eventBody(e)).toBe('{"id":"evt_1","type":"step.passed","occurredAt":"2026-11-26T12:00:00.000Z","lab":"order-system","step":3,"user":{"id":"u1","email":"a@example.com"},"cohort":{"id":"c1"}}');
  });

  it("makes unique event ids, one per cohort shared by that cohort's webhooks", () => {
    expect(newEventId()).not.toBe(newEventId());
    const now = new Date("2026-11-26T12:00:00Z");
    const rows = deliveriesFor(
      { type: "step.regressed", occurredAt: now.toISOString(), lab: "order-system", step: 2, user: { id: "u", email: "u@example.com" } },
      [{ id: "w1", cohortId: "c1" }, { id: "w2", cohortId: "c1" }, { id: "w3", cohortId: "c2" }],
      now,
    );
    expect(rows.map((r) => r.webhookId)).toEqual(["w1", "w2", "w3"]);
    expect(rows[0]?.eventId).toBe(rows[1]?.eventId);
    expect(rows[2]?.eventId).not.toBe(rows[0]?.eventId);
    expect(JSON.parse(rows[2]!.payload)).toMatchObject({ id: rows[2]?.eventId, type: "step.regressed", cohort: { id: "c2" } });
    expect(rows.every((r) => r.status === "pending" && r.tries === 0 && r.nextAttemptAt === now)).toBe(true);
  });
});

describe("retries", () => {
  it("waits base × 2^(try−1) after tries 1–4 and gives up after the fifth", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 40_000))).toEqual([40_000, 80_000, 160_000, 320_000, null]);
    // About ten minutes from the first try to the last, as ARCHITECTURE.md promises.
    expect(40 + 80 + 160 + 320).toBe(600);
  });

  it("keeps a short log of failed tries, readable even when the column holds something else", () => {
    let log = appendTry(null, { try: 1, at: "a", status: 500, error: "The receiver answered HTTP 500." });
    for (let i = 2; i <= 20; i++) log = appendTry(log, { try: i, at: "b", error: "x".repeat(1000) });
    const parsed = parseTryLog(log);
    expect(parsed).toHaveLength(12);
    expect(parsed.at(-1)).toMatchObject({ try: 20 });
    expect(parsed.at(-1)?.error.length).toBe(300);
    expect(parseTryLog("plain text")).toEqual([{ try: 0, at: "", error: "plain text" }]);
    expect(parseTryLog(null)).toEqual([]);
  });
});

describe("webhook URLs before DNS", () => {
  it("refuses other schemes, credentials, and URLs over 2,000 characters", () => {
    expect(parseWebhookUrl("file:///etc/passwd")).toMatchObject({ ok: false, reason: expect.stringMatching(/only http and https/i) });
    expect(parseWebhookUrl("ftp://example.com/x")).toMatchObject({ ok: false, reason: expect.stringMatching(/only http and https/i) });
    expect(parseWebhookUrl("https://user:pw@example.com/x")).toMatchObject({ ok: false, reason: expect.stringMatching(/user name or password/i) });
    expect(parseWebhookUrl("https://user@example.com/x")).toMatchObject({ ok: false });
    expect(parseWebhookUrl(`https://example.com/${"a".repeat(2000)}`)).toMatchObject({ ok: false, reason: expect.stringMatching(/too long/i) });
    expect(parseWebhookUrl("not a url")).toMatchObject({ ok: false });
    expect(parseWebhookUrl("  ")).toMatchObject({ ok: false });
    expect(parseWebhookUrl(" https://hooks.example.com/lab ")).toEqual({ ok: true, url: "https://hooks.example.com/lab" });
  });
});
