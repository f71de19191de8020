// Evaluations per second for the lab's two hot matchers, on pre-parsed inputs, half matching.
// Run: npx tsx bench/semantics-matchers.ts   (target: >= 500,000/s each on one core)

import { compileEventPattern, matchEvent } from "../semantics/event-pattern";
import { evaluateFilterPolicy, validateFilterPolicy } from "../semantics/sns-filter-policy";

const N_INPUTS = 1024;
const ROUNDS = 2_000; // 2,048,000 evaluations per measurement
const REPEATS = 5;

function bench(name: string, inputs: unknown[], run: (input: unknown) => boolean): void {
  let matched = 0;
  for (const i of inputs) if (run(i)) matched++;
  // warm-up so the JIT has compiled the closures before timing
  for (let r = 0; r < 200; r++) for (let i = 0; i < inputs.length; i++) run(inputs[i]);
  const rates: number[] = [];
  let sink = 0;
  for (let rep = 0; rep < REPEATS; rep++) {
    const t0 = performance.now();
    for (let r = 0; r < ROUNDS; r++) for (let i = 0; i < inputs.length; i++) if (run(inputs[i])) sink++;
    const secs = (performance.now() - t0) / 1000;
    rates.push((ROUNDS * inputs.length) / secs);
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)] as number;
  // `sink` keeps the results observable so the JIT cannot drop the calls being timed.
  if (sink !== (matched * ROUNDS * REPEATS)) throw new Error("matcher answers changed between runs");
  console.log(
    `${name}: ${Math.round(median).toLocaleString("en-US")} evaluations/s ` +
      `(median of ${REPEATS} runs of ${(ROUNDS * inputs.length).toLocaleString("en-US")}; ${matched}/${inputs.length} inputs match)`,
  );
}

const pattern = compileEventPattern({
  source: ["com.myapp.orders"],
  "detail-type": ["OrderCreated"],
  detail: { amount: [{ numeric: [">=", 1000] }] },
});
if (!pattern.ok) throw new Error(pattern.error.message);
const compiledPattern = pattern.pattern;

const events = Array.from({ length: N_INPUTS }, (_, i) => {
  const matching = i % 2 === 0;
  // the non-matching half fails in different places: amount, source, detail-type
  const kind = (i >> 1) % 3;
  return {
    version: "0",
    id: `evt-${i}`,
    "detail-type": !matching && kind === 2 ? "OrderUpdated" : "OrderCreated",
    source: !matching && kind === 1 ? "com.myapp.billing" : "com.myapp.orders",
    account: "123456789012",
    time: "2026-11-26T12:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: { orderId: `o-${1000 + i}`, amount: matching ? 1000 + (i % 900) : kind === 0 ? 999 : 1500, status: "confirmed" },
  };
});

const policy = validateFilterPolicy(
  '{"order_value":[{"numeric":[">=",1000]}],"shipping_type":["express","priority"]}',
  "MessageAttributes",
);
if (!policy.ok) throw new Error(policy.error.message);
const compiledPolicy = policy.policy;

const messages = Array.from({ length: N_INPUTS }, (_, i) => {
  const matching = i % 2 === 0;
  const kind = (i >> 1) % 3;
  return {
    attributes: {
      event_type: { DataType: "String", StringValue: "order_created" },
      order_value: {
        DataType: !matching && kind === 2 ? "String" : "Number",
        StringValue: matching ? String(1000 + (i % 900)) : kind === 0 ? "999" : "1500",
      },
      shipping_type: { DataType: "String", StringValue: !matching && kind === 1 ? "standard" : i % 4 === 0 ? "express" : "priority" },
    },
  };
});

console.log(`node ${process.version}, one thread`);
bench("EventBridge high-value-orders pattern (matchEvent)", events, (e) => matchEvent(compiledPattern, e));
bench("SNS shipping filter policy (evaluateFilterPolicy)", messages, (m) =>
  evaluateFilterPolicy(compiledPolicy, m as Parameters<typeof evaluateFilterPolicy>[1]),
);
