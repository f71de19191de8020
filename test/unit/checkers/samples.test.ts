// The samples say what the lab wants; the reference solution's filters and pattern must agree
// with every one of them, or the checks would fail a correct lab.
import { describe, expect, it } from "vitest";
import { compileEventPattern, matchEvent } from "@/semantics/event-pattern";
import { evaluateFilterPolicy, validateFilterPolicy } from "@/semantics/sns-filter-policy";
import { FILTER_SAMPLES, PROBE_ORDERS, probeAttributes, ruleSamples } from "@/checkers/samples";

const FILTERS = {
  inventory: { event_type: ["order_created", "order_updated"] },
  shipping: { shipping_type: ["express", "priority"], order_value: [{ numeric: [">=", 1000] }] },
} as const;

describe("samples", () => {
  it("the reference filters deliver exactly the samples marked deliver", () => {
    for (const role of ["inventory", "shipping"] as const) {
      const v = validateFilterPolicy(FILTERS[role]);
      if (!v.ok) throw new Error(v.error.message);
      for (const s of FILTER_SAMPLES[role]) expect(evaluateFilterPolicy(v.policy, { attributes: s.attributes }), `${role} ${s.label}`).toBe(s.deliver);
    }
  });

  it("the reference pattern matches exactly the events marked match", () => {
    const p = compileEventPattern({ "detail-type": ["OrderCreated"], source: ["com.myapp.orders"], detail: { amount: [{ numeric: [">=", 1000] }] } });
    if (!p.ok) throw new Error(p.error.message);
    const samples = ruleSamples({ threshold: 1000, account: "123456789012", region: "us-east-1" });
    expect(samples.map((s) => s.label)).toEqual(["matches-1000", "matches-1500", "rejects-999", "rejects-other-source", "rejects-other-detail-type"]);
    for (const s of samples) expect(matchEvent(p.pattern, s.event), s.label).toBe(s.match);
  });

  it("each probe order reaches the queues the reference filters select", () => {
    for (const p of PROBE_ORDERS) {
      const reached = (["inventory", "shipping"] as const).filter((role) => {
        const v = validateFilterPolicy(FILTERS[role]);
        return v.ok && evaluateFilterPolicy(v.policy, { attributes: probeAttributes(p, "tag") });
      });
      expect(reached, p.label).toEqual([...p.reaches]);
    }
  });
});
