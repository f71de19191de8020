// Step 2: each work queue redrives to an existing dead-letter queue of its own type, after a
// sane number of receives; the DLQ keeps messages long enough; consumers get enough time.
import { named, parseArn, queueInfo, roleKey, type QueueInfo } from "../collectors";
import type { CheckContext, Connection } from "../context";
import { runCheck } from "../run-check";
import { QUEUE_ROLES } from "../samples";
import type { CheckResult, StepChecker, Verdict } from "../types";

const DOCS_DLQ = "/module#sqs-dead-letter-queues";
const DOCS_VISIBILITY = "/module#sqs-visibility-timeout";

export interface Redrive {
  /** The attribute as stored; undefined when the queue has none. */
  raw: string | undefined;
  deadLetterTargetArn?: unknown;
  maxReceiveCount?: unknown;
  parseError?: string;
}

export interface QueueFacts {
  name: string;
  /** The DLQ the front matter suggests, for hints. */
  suggestedDlq: string;
  source: QueueInfo | undefined;
  redrive: Redrive;
  /** The queue the RedrivePolicy names, when it exists. */
  dlq: QueueInfo | undefined;
}

export function parseRedrive(raw: string | undefined): Redrive {
  if (raw === undefined || raw === "") return { raw: undefined };
  try {
    const v: unknown = JSON.parse(raw);
    if (typeof v !== "object" || v === null || Array.isArray(v)) return { raw, parseError: "it is not a JSON object" };
    const o = v as Record<string, unknown>;
    return { raw, deadLetterTargetArn: o.deadLetterTargetArn, maxReceiveCount: o.maxReceiveCount };
  } catch {
    return { raw, parseError: "it is not valid JSON" };
  }
}

const num = (v: string | undefined): number | undefined => (v === undefined || v === "" ? undefined : Number(v));
const isFifo = (q: QueueInfo): boolean => q.attributes.FifoQueue === "true" || q.name.endsWith(".fifo");

function missing(f: QueueFacts, what: string): Verdict {
  return { status: "skip", message: `The queue ${f.name} does not exist, so its ${what} cannot be checked` };
}

export function decideQueueExists(f: QueueFacts): Verdict {
  if (f.source === undefined) {
    return {
      status: "fail",
      message: `There is no SQS queue ${f.name} in this region`,
      hint: `Create ${f.suggestedDlq} first, then ${f.name} with aws sqs create-queue --queue-name ${f.name}`,
      expected: f.name,
      found: null,
    };
  }
  return { status: "pass", message: `The SQS queue ${f.name} exists (${f.source.arn})` };
}

export function decideVisibility(f: QueueFacts, minimum: number): Verdict {
  if (f.source === undefined) return missing(f, "visibility timeout");
  const v = num(f.source.attributes.VisibilityTimeout) ?? 30;
  if (v < minimum) {
    return {
      status: "fail",
      message: `The queue ${f.name} has a visibility timeout of ${v} s, shorter than ${minimum} s`,
      hint: `A message must stay hidden while its consumer works on it: set VisibilityTimeout on ${f.name} to ${minimum} or more with aws sqs set-queue-attributes`,
      expected: `>= ${minimum}`,
      found: v,
    };
  }
  return { status: "pass", message: `The queue ${f.name} has a visibility timeout of ${v} s (at least ${minimum} s)`, found: v };
}

export function decideRedrivePolicy(f: QueueFacts, suggestedCount = 5): Verdict {
  if (f.source === undefined) return missing(f, "redrive policy");
  const r = f.redrive;
  const how = `set the RedrivePolicy attribute of ${f.name} to {"deadLetterTargetArn": "<ARN of ${f.suggestedDlq}>", "maxReceiveCount": ${suggestedCount}}`;
  if (r.raw === undefined) {
    return { status: "fail", message: `The queue ${f.name} has no RedrivePolicy, so a message that keeps failing is retried forever`, hint: `Create ${f.suggestedDlq}, then ${how}`, found: null };
  }
  if (r.parseError !== undefined) {
    return { status: "fail", message: `The RedrivePolicy of ${f.name} cannot be read: ${r.parseError}`, hint: `RedrivePolicy is a JSON document inside a string: ${how}`, found: r.raw };
  }
  if (typeof r.deadLetterTargetArn !== "string" || parseArn(r.deadLetterTargetArn) === undefined) {
    return {
      status: "fail",
      message: `The RedrivePolicy of ${f.name} names no dead-letter queue ARN`,
      hint: `deadLetterTargetArn takes the DLQ's ARN (arn:aws:sqs:...), not its URL or name: ${how}`,
      found: r.deadLetterTargetArn ?? null,
    };
  }
  if (f.dlq === undefined) {
    return {
      status: "fail",
      message: `The RedrivePolicy of ${f.name} names ${r.deadLetterTargetArn}, which does not exist`,
      hint: `Create that queue (the lab calls it ${f.suggestedDlq}) or point the RedrivePolicy at an existing DLQ's ARN`,
      found: r.deadLetterTargetArn,
    };
  }
  if (f.source.arn !== "" && f.dlq.arn === f.source.arn) {
    return { status: "fail", message: `The queue ${f.name} names itself as its dead-letter queue`, hint: `Give ${f.name} its own DLQ, ${f.suggestedDlq}`, found: r.deadLetterTargetArn };
  }
  return { status: "pass", message: `The queue ${f.name} redrives to the existing queue ${f.dlq.name}`, found: f.dlq.arn };
}

export function decideDlqType(f: QueueFacts): Verdict {
  if (f.source === undefined) return missing(f, "dead-letter queue type");
  if (f.dlq === undefined) return { status: "skip", message: `The queue ${f.name} has no existing dead-letter queue, so the types cannot be compared` };
  const src = isFifo(f.source) ? "FIFO" : "standard";
  const dlq = isFifo(f.dlq) ? "FIFO" : "standard";
  if (src !== dlq) {
    return {
      status: "fail",
      message: `The queue ${f.name} is ${src} but its dead-letter queue ${f.dlq.name} is ${dlq}`,
      hint: `SQS moves messages only between queues of the same type: give ${f.name} a ${src} dead-letter queue`,
      expected: src,
      found: dlq,
    };
  }
  return { status: "pass", message: `The queue ${f.name} and its dead-letter queue ${f.dlq.name} are both ${src} queues`, found: dlq };
}

export function decideMaxReceiveCount(f: QueueFacts, suggested: number | undefined): Verdict {
  if (f.source === undefined) return missing(f, "maxReceiveCount");
  const r = f.redrive;
  if (r.raw === undefined || r.parseError !== undefined) {
    return { status: "skip", message: `The queue ${f.name} has no readable RedrivePolicy, so its maxReceiveCount cannot be checked` };
  }
  const v = typeof r.maxReceiveCount === "string" && r.maxReceiveCount.trim() !== "" ? Number(r.maxReceiveCount) : r.maxReceiveCount;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 1000) {
    return {
      status: "fail",
      message: `The RedrivePolicy of ${f.name} has ${v === undefined ? "no maxReceiveCount" : `maxReceiveCount ${JSON.stringify(r.maxReceiveCount)}`}`,
      hint: `maxReceiveCount says after how many receives a message moves to the DLQ: set it to a whole number from 1 to 1000${suggested ? ` (the lab uses ${suggested})` : ""}`,
      expected: suggested ?? "1-1000",
      found: r.maxReceiveCount ?? null,
    };
  }
  const note = suggested !== undefined && v !== suggested ? ` (the lab suggests ${suggested}, and any value from 1 to 1000 works)` : "";
  return { status: "pass", message: `The queue ${f.name} moves a message to its DLQ after ${v} receives${note}`, found: v };
}

export function decideDlqRetention(f: QueueFacts, minimum: number): Verdict {
  if (f.source === undefined) return missing(f, "dead-letter retention");
  if (f.dlq === undefined) return { status: "skip", message: `The queue ${f.name} has no existing dead-letter queue, so its retention cannot be checked` };
  const dlq = num(f.dlq.attributes.MessageRetentionPeriod) ?? 345_600;
  const src = num(f.source.attributes.MessageRetentionPeriod) ?? 345_600;
  if (dlq >= minimum || dlq > src) {
    return { status: "pass", message: `The dead-letter queue ${f.dlq.name} keeps messages ${dlq} s; its source ${f.name} keeps them ${src} s`, found: dlq };
  }
  return {
    status: "fail",
    message: `The dead-letter queue ${f.dlq.name} keeps messages ${dlq} s, not longer than its source ${f.name} (${src} s)`,
    hint: `A message's age counts from when it was first sent, so a DLQ that keeps messages no longer than its source can drop them on arrival: set MessageRetentionPeriod of ${f.dlq.name} to ${minimum} (14 days)`,
    expected: `>= ${minimum} or > ${src}`,
    found: dlq,
  };
}

/** Both work queues and their suggested DLQs in one round, then any other DLQ a policy names. */
async function collect(c: Connection, queues: string[], dlqs: string[]): Promise<QueueFacts[]> {
  const names = [...new Set([...queues, ...dlqs])];
  const fetched = new Map<string, Promise<QueueInfo | undefined>>(
    names.map((n) => {
      const p = queueInfo(c, n);
      p.catch(() => undefined); // a failure is reported by the check that awaits it, not as an unhandled rejection
      return [n, p];
    }),
  );
  return Promise.all(
    queues.map(async (name, i) => {
      const source = await fetched.get(name);
      const redrive = parseRedrive(source?.attributes.RedrivePolicy);
      let dlq: QueueInfo | undefined;
      const target = typeof redrive.deadLetterTargetArn === "string" ? parseArn(redrive.deadLetterTargetArn) : undefined;
      if (source && target) {
        const known = fetched.get(target.resource);
        const candidate = known ? await known : undefined;
        dlq = candidate && candidate.arn === redrive.deadLetterTargetArn ? candidate : await queueInfo(c, target.resource, target.account || undefined);
        if (dlq && dlq.arn !== "" && dlq.arn !== redrive.deadLetterTargetArn) dlq = undefined;
      }
      return { name, suggestedDlq: dlqs[i] ?? `${name}-dlq`, source, redrive, dlq };
    }),
  );
}

async function run(ctx: CheckContext): Promise<CheckResult[]> {
  const queues = ctx.step.resources.queues ?? [];
  const dlqs = ctx.step.resources.dlqs ?? [];
  const e = ctx.step.expect;
  const facts = collect(ctx, queues, dlqs);
  facts.catch(() => undefined); // each check awaits it and reports a failure itself
  const results = queues.flatMap((name, i) => {
    const key = roleKey(QUEUE_ROLES, i, name);
    const queue = async () => (await facts)[i] as QueueFacts;
    const meta = (id: string, title: string, docs: string) => ({ id: `step2.${key}-${id}`, title, resource: `queue ${name}`, docs });
    return [
      runCheck(meta("exists", `Queue ${name} exists`, DOCS_DLQ), async () => decideQueueExists(await queue())),
      runCheck(meta("visibility-timeout", `${name} gives consumers enough time`, DOCS_VISIBILITY), async () =>
        decideVisibility(await queue(), named(e.minVisibilityTimeout, "expect.minVisibilityTimeout")),
      ),
      runCheck(meta("redrive-policy", `${name} redrives to an existing dead-letter queue`, DOCS_DLQ), async () => decideRedrivePolicy(await queue(), e.maxReceiveCount)),
      runCheck(meta("dlq-type", `${name} and its dead-letter queue are the same type`, DOCS_DLQ), async () => decideDlqType(await queue())),
      runCheck(meta("max-receive-count", `${name} sets maxReceiveCount`, DOCS_DLQ), async () => decideMaxReceiveCount(await queue(), e.maxReceiveCount)),
      runCheck(meta("dlq-retention", `${name}'s dead-letter queue keeps messages long enough`, DOCS_DLQ), async () =>
        decideDlqRetention(await queue(), named(e.dlqRetention, "expect.dlqRetention")),
      ),
    ];
  });
  if (queues.length === 0) {
    results.push(runCheck({ id: "step2.queues", title: "Queues are named", resource: "step's queues" }, (): Verdict => named<Verdict>(undefined, "queues")));
  }
  return Promise.all(results);
}

export const step2: StepChecker = {
  step: 2,
  slug: "sqs-queues",
  actions: ["sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
  run,
};
