// Step 6: on the learner's explicit request only, send real traffic. Three tagged probe orders
// go to the topic and must reach exactly the queues their attributes select; an execution of
// the workflow with a premium order must succeed through the express branch. The probe deletes
// its own messages, releases any other message at once (visibility 0) and waits 60 s at most.
import { PublishCommand } from "@aws-sdk/client-sns";
import { ChangeMessageVisibilityCommand, DeleteMessageCommand, ReceiveMessageCommand, type Message } from "@aws-sdk/client-sqs";
import { DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, type HistoryEvent } from "@aws-sdk/client-sfn";
import { lambdaFunctionName } from "@/semantics/asl";
import { arnFor, findTopicArn, named, queueUrl, roleKey } from "../collectors";
import type { CheckContext } from "../context";
import { runCheck, type CheckMeta } from "../run-check";
import { PREMIUM_ORDER, PROBE_ATTRIBUTE, PROBE_ORDERS, QUEUE_ROLES, probeAttributes, type ProbeOrder } from "../samples";
import type { CheckResult, StepChecker, Verdict } from "../types";
import { namesFrom } from "./step5-step-functions";
import type { WorkflowNames } from "./workflow-simulation";

const DOCS = "/module#sns-fan-out-to-sqs-queues";
export const PROBE_BUDGET_MS = 60_000;
const MAX_WAIT_SECONDS = 5;

/** Where each probe arrived: probe label → queue names. */
export type Arrivals = Record<string, string[]>;

export interface ExecutionFacts {
  machine: string;
  status: string;
  called: string[];
  error?: string;
  cause?: string;
}

export function decideProbeRouting(p: ProbeOrder, queues: { role: string; name: string }[], arrivals: Arrivals): Verdict {
  const expected = queues.filter((q) => (p.reaches as readonly string[]).includes(q.role)).map((q) => q.name).sort();
  const found = [...new Set(arrivals[p.label] ?? [])].sort();
  const what = `the probe order (event_type ${p.eventType}, order_value ${p.value}, shipping_type ${p.shipping})`;
  const list = (xs: string[]) => (xs.length === 0 ? "no queue" : xs.join(" and "));
  if (JSON.stringify(expected) === JSON.stringify(found)) {
    return { status: "pass", message: `${what[0]?.toUpperCase()}${what.slice(1)} reached ${list(found)}, as its attributes select`, expected, found };
  }
  const missing = expected.filter((q) => !found.includes(q));
  const extra = found.filter((q) => !expected.includes(q));
  const parts = [missing.length ? `never reached ${list(missing)}` : "", extra.length ? `also reached ${list(extra)}` : ""].filter(Boolean);
  return {
    status: "fail",
    message: `${what[0]?.toUpperCase()}${what.slice(1)} ${parts.join(" and ")}`,
    hint: missing.length
      ? `Check step 3 for ${list(missing)}: the subscription, its filter policy, and the queue's access policy (its aws:SourceArn must be the topic's exact ARN)`
      : `Check the filter policy of ${list(extra)}: it lets through an order it should not`,
    expected,
    found,
  };
}

export function decideExecution(e: ExecutionFacts, n: Pick<WorkflowNames, "express" | "standard">): Verdict {
  const found = { status: e.status, called: e.called };
  if (e.status === "RUNNING") {
    return { status: "fail", message: `The execution of ${e.machine} with a premium order was still running when the probe's time ran out`, hint: "The workflow should finish in seconds: look at the execution in the console to see which state it is stuck in (a Task's function timing out, or a long Wait)", found };
  }
  if (e.status !== "SUCCEEDED") {
    return {
      status: "fail",
      message: `The execution of ${e.machine} with a premium order ended ${e.status}${e.error ? ` with ${e.error}` : ""}${e.cause ? `: ${e.cause.slice(0, 300)}` : ""}`,
      hint: "Open the execution's history: a Task failing means a function or a permission of the workflow's role; a Choice failing means a missing ResultPath on the Parallel state (step 5 checks that)",
      expected: "SUCCEEDED",
      found,
    };
  }
  if (!e.called.includes(n.express) || e.called.includes(n.standard)) {
    return { status: "fail", message: `The execution of ${e.machine} with a premium order succeeded but called ${e.called.join(", ") || "no functions"}, not ${n.express}`, hint: `A premium order must go to ${n.express}: check the Choice on $.order.isPremium`, expected: n.express, found };
  }
  return { status: "pass", message: `The execution of ${e.machine} with a premium order succeeded through ${n.express}`, found };
}

/** The functions a real execution scheduled, from its history. */
export function calledFunctions(events: HistoryEvent[]): string[] {
  const out: string[] = [];
  for (const ev of events) {
    const lambda = ev.lambdaFunctionScheduledEventDetails?.resource;
    if (lambda) out.push(lambdaFunctionName(lambda));
    const task = ev.taskScheduledEventDetails;
    if (task && task.resourceType === "lambda") {
      try {
        const params = JSON.parse(task.parameters ?? "{}") as { FunctionName?: unknown };
        if (typeof params.FunctionName === "string") out.push(lambdaFunctionName(params.FunctionName));
      } catch {
        /* parameters that are not JSON name no function */
      }
    }
  }
  return out;
}

/** The probe label of one of our messages, or undefined for a learner's message. */
export function probeLabel(m: Message, tag: string): string | undefined {
  const body = m.Body ?? "";
  if (!body.includes(tag) && m.MessageAttributes?.[PROBE_ATTRIBUTE]?.StringValue !== tag) return undefined;
  const label = new RegExp(`probe-${tag}-([a-z0-9]+)`).exec(body)?.[1];
  return label ?? "?";
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

const STEP5_FALLBACK = (ctx: CheckContext) =>
  ctx.labSteps?.find((s) => s.resources.functions && s.resources.stateMachine === ctx.step.resources.stateMachine)?.resources;

function skipped(ctx: CheckContext): CheckResult[] {
  const r = ctx.step.resources;
  const queues = r.queues ?? [];
  const explain = `When you ask for it, the probe publishes three tagged orders to ${r.topic ?? "the topic"}, checks that each reaches exactly the queues its attributes select (${queues.join(", ")}), deletes its own messages and releases any of yours at once, and runs ${r.stateMachine ?? "the state machine"} once with a premium order; it takes up to 60 seconds`;
  return [
    ...PROBE_ORDERS.map((p) => ({ id: `step6.probe-${p.label}`, title: `Probe order ${p.label} reaches the right queues`, status: "skip" as const, message: `${explain}.`, docs: DOCS })),
    { id: "step6.execution-express", title: "A premium execution succeeds through express shipping", status: "skip" as const, message: `Not run yet: ${explain}.`, docs: "/module#a-complete-order-processing-workflow" },
  ];
}

async function run(ctx: CheckContext): Promise<CheckResult[]> {
  if (!ctx.probe) return skipped(ctx);
  const started = Date.now();
  const deadline = started + PROBE_BUDGET_MS - 1_000;
  const left = () => deadline - Date.now();
  const signal = ctx.signal;
  const progress = (m: string) => ctx.onProgress?.(m);
  const tag = globalThis.crypto.randomUUID().replace(/-/g, "").slice(0, 16);
  const r = ctx.step.resources;
  const queues = (r.queues ?? []).map((name, i) => ({ name, role: roleKey(QUEUE_ROLES, i, name) }));
  const machine = r.stateMachine ?? "(unnamed)";

  const probeMeta = (p: ProbeOrder): CheckMeta => ({ id: `step6.probe-${p.label}`, title: `Probe order ${p.label} reaches the right queues`, resource: `topic ${r.topic ?? ""} and its queues`, docs: DOCS });
  const execMeta: CheckMeta = { id: "step6.execution-express", title: "A premium execution succeeds through express shipping", resource: `state machine ${machine}`, docs: "/module#a-complete-order-processing-workflow" };

  const fanOut = (async (): Promise<Arrivals> => {
    const topicArn = await findTopicArn(ctx, named(r.topic, "topic"));
    if (topicArn === undefined) throw Object.assign(new Error(`there is no topic ${r.topic} to publish the probe orders to`), { name: "NotFound" });
    const urls = await Promise.all(queues.map((q) => queueUrl(ctx, q.name)));
    for (const p of PROBE_ORDERS) {
      await ctx.clients.sns.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify({ orderId: `probe-${tag}-${p.label}`, amount: p.value, note: "Lab Grader probe: deleted by the grader when it arrives." }),
          MessageAttributes: probeAttributes(p, tag) as Record<string, { DataType: string; StringValue: string }>,
        }),
        { abortSignal: signal },
      );
    }
    progress(`Published ${PROBE_ORDERS.length} probe orders to ${r.topic}; waiting for them in ${queues.map((q) => q.name).join(" and ")}.`);
    const arrivals: Arrivals = {};
    await Promise.all(
      queues.map(async (q, i) => {
        const url = urls[i];
        if (url === undefined) return;
        const want = PROBE_ORDERS.filter((p) => (p.reaches as readonly string[]).includes(q.role)).map((p) => p.label);
        const got = new Set<string>();
        let sweeps = 0;
        // After everything expected has arrived, one more short poll catches a probe that should not be here.
        while (left() > 0 && !signal?.aborted && sweeps < 2) {
          const complete = want.every((l) => got.has(l));
          if (complete) sweeps++;
          const wait = Math.max(0, Math.min(complete ? 1 : MAX_WAIT_SECONDS, Math.floor(left() / 1000) - 1));
          const out = await ctx.clients.sqs.send(
            new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: wait, MessageAttributeNames: ["All"] }),
            { abortSignal: signal },
          );
          let ours = 0;
          for (const m of out.Messages ?? []) {
            if (!m.ReceiptHandle) continue;
            const label = probeLabel(m, tag);
            if (label !== undefined) ours++;
            if (label === undefined) {
              // Not ours: hand it straight back to the learner's consumers.
              await ctx.clients.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
              continue;
            }
            await ctx.clients.sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
            if (!got.has(label)) progress(`${q.name} received probe order ${label}.`);
            got.add(label);
            (arrivals[label] ??= []).push(q.name);
          }
          // A released message is visible again at once, so a poll that brought only the
          // learner's messages waits a moment before the next, instead of spinning on them.
          const onlyTheirs = (out.Messages ?? []).length > 0 && ours === 0;
          if ((wait === 0 && (out.Messages ?? []).length === 0 && !complete) || onlyTheirs) await sleep(250, signal);
        }
      }),
    );
    return arrivals;
  })();
  fanOut.catch(() => undefined);

  const execution = (async (): Promise<ExecutionFacts> => {
    const step5 = STEP5_FALLBACK(ctx);
    const names = namesFrom(named(r.functions ?? step5?.functions, "functions"), named(r.topics ?? step5?.topics, "topics"));
    const machineArn = await arnFor(ctx, "states", `stateMachine:${named(r.stateMachine, "stateMachine")}`);
    const start = await ctx.clients.sfn.send(
      new StartExecutionCommand({ stateMachineArn: machineArn, name: `lab-grader-probe-${tag}`, input: JSON.stringify(PREMIUM_ORDER) }),
      { abortSignal: signal },
    );
    const executionArn = start.executionArn ?? "";
    progress(`Started an execution of ${machine} with a premium order.`);
    let d = await ctx.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    while (d.status === "RUNNING" && left() > 1_000 && !signal?.aborted) {
      await sleep(1_000, signal);
      d = await ctx.clients.sfn.send(new DescribeExecutionCommand({ executionArn }));
    }
    progress(`The execution of ${machine} is ${d.status}.`);
    const events: HistoryEvent[] = [];
    let token: string | undefined;
    do {
      const page = await ctx.clients.sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000, ...(token ? { nextToken: token } : {}) }));
      events.push(...(page.events ?? []));
      token = page.nextToken;
    } while (token);
    const facts: ExecutionFacts = { machine, status: d.status ?? "UNKNOWN", called: calledFunctions(events) };
    if (d.error) facts.error = d.error;
    if (d.cause) facts.cause = d.cause;
    return Object.assign(facts, { names });
  })();
  execution.catch(() => undefined);

  const stopped = (meta: CheckMeta): CheckResult => ({ id: meta.id, title: meta.title, status: "error", message: `The probe was stopped before it could judge the ${meta.resource}.`, hint: "Run the probe again and let it finish; it takes up to 60 seconds.", docs: meta.docs ?? DOCS });
  const results = await Promise.all([
    ...PROBE_ORDERS.map((p) =>
      runCheck(probeMeta(p), async () => {
        const arrivals = await fanOut;
        if (signal?.aborted) throw Object.assign(new Error("stopped"), { name: "AbortError" });
        return decideProbeRouting(p, queues, arrivals);
      }),
    ),
    runCheck(execMeta, async () => {
      const e = (await execution) as ExecutionFacts & { names: WorkflowNames };
      return decideExecution(e, e.names);
    }),
  ]);
  progress(`The probe finished in ${Math.round((Date.now() - started) / 1000)} s.`);
  return signal?.aborted ? results.map((x, i) => (x.status === "pass" ? x : stopped(i < PROBE_ORDERS.length ? probeMeta(PROBE_ORDERS[i] as ProbeOrder) : execMeta))) : results;
}

export const step6: StepChecker = {
  step: 6,
  slug: "end-to-end",
  actions: [
    "sts:GetCallerIdentity", "sns:ListTopics", "sns:Publish", "sqs:GetQueueUrl", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility",
    "states:StartExecution", "states:DescribeExecution", "states:GetExecutionHistory",
  ],
  run,
};
