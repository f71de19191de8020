// The ways a check stops before touching the database or the learner's account.
import { describe, expect, it, vi } from "vitest";
import { runGrade } from "@/lib/grading/grade";

describe("grade() before it runs anything", () => {
  it("refuses an unknown lab or step without asking for the connection", async () => {
    const resolveConnection = vi.fn(() => Promise.resolve(null));
    expect(await runGrade({ userId: "u", lab: "order-system", step: 9, source: "web" }, { resolveConnection })).toMatchObject({ ok: false, error: { code: "unknown-step" } });
    expect(await runGrade({ userId: "u", lab: "../etc", step: 1, source: "web" }, { resolveConnection })).toMatchObject({ ok: false, error: { code: "unknown-step" } });
    expect(resolveConnection).not.toHaveBeenCalled();
  });

  it("tells a learner without a connection to connect first", async () => {
    const out = await runGrade({ userId: "u", lab: "order-system", step: 1, source: "web" }, { resolveConnection: () => Promise.resolve(null) });
    expect(out).toMatchObject({ ok: false, error: { code: "not-connected" } });
    if (!out.ok) expect(`${out.error.message} ${out.error.hint}`).toMatch(/\/connect/);
  });
});
