// The signature receivers verify: HMAC-SHA256 over "<t>.<body>", with a replay window.
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signatureHeader, verifySignature } from "@/lib/webhooks/signature";

const secret = "whsec_test-secret";
const body = JSON.stringify({ id: "evt_1", type: "step.passed" });
const t = 1_800_000_000;
const at = (seconds: number) => new Date(seconds * 1000);

describe("webhook signatures", () => {
  it("is t=<unix>,v1=<hex HMAC-SHA256 of t.body>, computed independently", () => {
    const expected = createHmac("sha256", secret).update(`${t}.${body}`).digest("hex");
    expect(signatureHeader(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });

  it("verifies with the same secret within the tolerance", () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignature(secret, header, body, { now: at(t) })).toBe(true);
    expect(verifySignature(secret, header, body, { now: at(t + 300) })).toBe(true);
    expect(verifySignature(secret, header, body, { now: at(t - 300) })).toBe(true);
  });

  it("fails with another secret, a changed body, or a changed timestamp", () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignature("whsec_other", header, body, { now: at(t) })).toBe(false);
    expect(verifySignature(secret, header, body.replace("passed", "regressed"), { now: at(t) })).toBe(false);
    expect(verifySignature(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, { now: at(t) })).toBe(false);
  });

  it("fails outside the tolerance, also with a custom tolerance", () => {
    const header = signatureHeader(secret, body, t);
    expect(verifySignature(secret, header, body, { now: at(t + 301) })).toBe(false);
    expect(verifySignature(secret, header, body, { now: at(t + 61), toleranceSeconds: 60 })).toBe(false);
    expect(verifySignature(secret, header, body, { now: at(t + 59), toleranceSeconds: 60 })).toBe(true);
  });

  it("refuses malformed headers without throwing", () => {
    for (const h of [undefined, null, "", "t=1", "v1=abc", `t=x,v1=${"0".repeat(64)}`, `t=${t},v1=${"z".repeat(64)}`, "garbage"]) {
      expect(verifySignature(secret, h, body, { now: at(t) })).toBe(false);
    }
  });

  it("accepts a header with several v1 values when one matches (secret rotation on the receiver)", () => {
    const good = signatureHeader(secret, body, t).split(",v1=")[1];
    expect(verifySignature(secret, `t=${t},v1=${"0".repeat(64)},v1=${good}`, body, { now: at(t) })).toBe(true);
  });
});
