// Polling for SQS event source mappings: every enabled mapping receives up to BatchSize messages,
// invokes the function with them and deletes the batch when the function succeeds (or, with
// ReportBatchItemFailures, every message except those it names). A failed batch is left for the
// queue's visibility timeout to return, as on AWS. Every call to the queue is made as the
// function's execution role (event-source.ts); when Lambda may not use that role, or the role may
// not read the queue, the mapping's LastProcessingResult says so and nothing is received.
import { AwsError } from "@/sandbox/core/contracts";
import type { RequestContext } from "@/sandbox/core/contracts";
import { asExecutionRole, queueOf } from "./event-source";
import { mappingKey, type Lambda, type MappingRecord } from "./models";
import { runFunction } from "./run";

/** How often enabled mappings poll their queue. */
const POLL_MS = 1000;

// What LastProcessingResult reads after a poll: AWS's "OK" and "PROBLEM: …" results.
const OK = "OK";
const FUNCTION_FAILED = "PROBLEM: Function call failed";
const ROLE_NOT_ASSUMABLE = "PROBLEM: The role defined for the function cannot be assumed by Lambda.";
const CANNOT_RECEIVE = "PROBLEM: The function execution role does not have permissions to call ReceiveMessage on SQS";

/** Records a poll's result on the mapping, if it still exists and the result changed. */
function record(s: Lambda, m: MappingRecord, result: string): void {
  const current = s.mappings.get(m.accountId, m.region, m.uuid);
  if (current && current.lastProcessingResult !== result) s.mappings.save({ ...current, lastProcessingResult: result });
}

/** One poll of one mapping: receive up to BatchSize, invoke, delete what succeeded. */
async function poll(s: Lambda, m: MappingRecord): Promise<void> {
  const fn = s.model.get(m.accountId, m.region, m.functionName);
  const queue = queueOf(m.eventSourceArn);
  if (!fn || !queue || queue.region !== fn.region) return;
  let role: RequestContext;
  try {
    role = await asExecutionRole(s, fn);
  } catch (err) {
    if (!(err instanceof AwsError)) throw err;
    record(s, m, ROLE_NOT_ASSUMABLE);
    return;
  }
  const as = (): RequestContext => ({ ...role, requestId: s.env.newRequestId(), now: s.env.scheduler.now() });
  const messages: Record<string, unknown>[] = [];
  try {
    while (messages.length < m.batchSize) {
      const out = await s.env.call("sqs", "ReceiveMessage", {
        QueueUrl: queue.url, MaxNumberOfMessages: Math.min(10, m.batchSize - messages.length), WaitTimeSeconds: 0,
        AttributeNames: ["All"], MessageSystemAttributeNames: ["All"], MessageAttributeNames: ["All"],
      }, as());
      const got = Array.isArray(out.Messages) ? (out.Messages as Record<string, unknown>[]) : [];
      messages.push(...got);
      if (got.length === 0) break;
    }
  } catch (err) {
    // The role's policies or the queue's policy refuse it (or the queue is gone); anything
    // received before that returns to the queue when its visibility timeout ends.
    if (!(err instanceof AwsError) || err.status >= 500) throw err;
    record(s, m, CANNOT_RECEIVE);
    return;
  }
  if (messages.length === 0) return;
  const records = messages.map((msg) => ({
    messageId: msg.MessageId,
    receiptHandle: msg.ReceiptHandle,
    body: msg.Body,
    attributes: msg.Attributes ?? {},
    messageAttributes: Object.fromEntries(Object.entries((msg.MessageAttributes ?? {}) as Record<string, Record<string, unknown>>).map(([name, a]) => [name, {
      stringValue: a.StringValue, binaryValue: a.BinaryValue, stringListValues: [], binaryListValues: [], dataType: a.DataType,
    }])),
    md5OfBody: msg.MD5OfBody,
    eventSource: "aws:sqs",
    eventSourceARN: m.eventSourceArn,
    awsRegion: m.region,
  }));
  const outcome = await runFunction(s, fn, JSON.stringify({ Records: records }), s.env.newRequestId());
  record(s, m, outcome.ok ? OK : FUNCTION_FAILED);
  if (!outcome.ok) return;
  let failed = new Set<string>();
  if (m.functionResponseTypes.includes("ReportBatchItemFailures")) {
    try {
      const answer = JSON.parse(outcome.payload) as { batchItemFailures?: { itemIdentifier?: unknown }[] } | null;
      failed = new Set((answer?.batchItemFailures ?? []).map((f) => String(f.itemIdentifier)));
    } catch {
      failed = new Set(records.map((r) => String(r.messageId)));
    }
  }
  const done = records.filter((r) => !failed.has(String(r.messageId)));
  // One DeleteMessage per record: sqs:DeleteMessage is the permission AWS requires of the role
  // (and a queue policy grants), whichever API Lambda uses to delete.
  for (const r of done) await s.env.call("sqs", "DeleteMessage", { QueueUrl: queue.url, ReceiptHandle: r.receiptHandle }, as());
}

/** Polls every enabled mapping each second; a mapping still being polled is skipped. */
export class MappingPoller {
  private readonly busy = new Set<string>();
  private readonly timer: { cancel(): void };

  constructor(private readonly s: Lambda) {
    this.timer = s.env.scheduler.setInterval(() => this.pollAll(), POLL_MS);
  }

  stop(): void {
    this.timer.cancel();
  }

  private pollAll(): void {
    const { env } = this.s;
    // Hosted sandboxes that do not run code leave the messages in the queue.
    if (!env.options.lambdaExec) return;
    for (const m of this.s.mappings.all()) {
      const key = mappingKey(m);
      if (!m.enabled || this.busy.has(key)) continue;
      this.busy.add(key);
      void poll(this.s, m)
        .catch(() => undefined)
        .finally(() => this.busy.delete(key));
    }
  }
}
