// SQS state keyed by account, then region, then queue name; rebuilt from env.store at start and
// written through on every acknowledged change. Messages live in per-queue structures so that a
// send, a receive and a delete each cost O(1) or O(log n): visible messages in arrival order
// (standard) or per message group (FIFO), hidden ones (delayed or in flight) in a heap by the
// time they become visible again. Nothing scans all messages on the hot path; visibility is
// computed lazily when a receive looks at the queue, and a timer exists only while a long poll
// waits for the next message to surface.
import { randomUUID } from "node:crypto";
import type { DurableStore, Scheduler } from "@/sandbox/core/contracts";
import { parsePolicy } from "@/semantics/iam-policy";
import type { ParsedPolicy } from "@/semantics/iam-policy";
import type { MessageAttributeValue } from "./md5";
import { FIFO_DEFAULTS, STANDARD_DEFAULTS } from "./queue-attributes";
import type { RedrivePolicy } from "./queue-attributes";
import { Deque, MinHeap } from "./structures";

export const QUEUES = "sqs.queues";
export const MESSAGES = "sqs.messages";
export const DEDUP = "sqs.dedup";
export const TASKS = "sqs.move-tasks";

/** AWS keeps deduplication ids for five minutes. */
export const DEDUP_WINDOW_MS = 5 * 60_000;
/** AWS refuses to recreate a queue name for 60 s after DeleteQueue, and to purge twice within 60 s. */
export const RECREATE_WAIT_MS = 60_000;
export const PURGE_WAIT_MS = 60_000;
const SWEEP_EVERY_MS = 60_000;

// A receive's identity: unique per process start (random prefix) and per receive (counter),
// cheaper than a UUID on the hot path.
const RECEIPT_PREFIX = randomUUID().slice(0, 8);
let receiptCounter = 0;

export interface StoredQueue {
  accountId: string;
  region: string;
  name: string;
  fifo: boolean;
  /** Attributes set explicitly, normalised; defaults fill the rest when read. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  lastPurgeAt?: number;
}

export interface StoredMessage {
  id: string;
  body: string;
  md5Body: string;
  attributes?: Record<string, MessageAttributeValue>;
  md5Attributes?: string;
  systemAttributes?: Record<string, MessageAttributeValue>;
  md5SystemAttributes?: string;
  senderId: string;
  /** SentTimestamp (ms). */
  sentAt: number;
  /** When retention counts from: the send, kept on a move to a standard DLQ, reset on a FIFO one. */
  enqueuedAt: number;
  /** The message may be received from this instant (delay, visibility timeout). */
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  lastReceiveAt?: number;
  /** Identifies the latest receive; older receipt handles no longer act on the message. */
  receipt?: string;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
}

/** A message move task (DLQ redrive); the sandbox moves the messages at once, so it is done when listed. */
export interface StoredMoveTask {
  taskHandle: string;
  sourceArn: string;
  destinationArn?: string;
  maxNumberOfMessagesPerSecond?: number;
  status: "COMPLETED" | "FAILED";
  moved: number;
  toMove: number;
  startedAt: number;
  failureReason?: string;
}

interface StoredDedup {
  messageId: string;
  sequenceNumber: string;
  expiresAt: number;
}

/** The runtime wrapper: `gen` invalidates heap entries when the message's visibility changes. */
export class Msg {
  deleted = false;
  gen = 0;
  /** Its entry in the queue's timeline while hidden; removed when the message leaves the queue. */
  entry: TimelineEntry | undefined = undefined;
  constructor(public rec: StoredMessage) {}
}

interface TimelineEntry {
  at: number;
  msg: Msg;
  gen: number;
  /** Position in the heap (kept by MinHeap), -1 when out of it. */
  pos: number;
}

interface Group {
  messages: Deque<Msg>;
  inflight: Set<Msg>;
}

/** A long-polling receive: `attempt` takes messages and answers when there are some. */
export interface Waiter {
  attempt(): boolean;
  expire(): void;
}

export class Queue {
  readonly key: string;
  readonly arn: string;
  readonly messages = new Map<string, Msg>();
  /** Standard queues: visible messages in arrival order (may hold deleted ones, skipped lazily). */
  readonly ready = new Deque<Msg>();
  /** Hidden messages by the time they surface; for FIFO only a wake-up hint for long polls. */
  readonly timeline = new MinHeap<TimelineEntry>();
  /** FIFO queues: each group's undeleted messages in order; the in-flight ones block the group. */
  readonly groups = new Map<string, Group>();
  readonly dedup = new Map<string, StoredDedup>();
  waiters: Waiter[] = [];
  wake: { at: number; cancel(): void } | undefined;
  lastSequence = 0n;
  visibilityMs = 30_000;
  delayMs = 0;
  retentionMs = 345_600_000;
  maxMessageSize = 0;
  waitSeconds = 0;
  redrive: RedrivePolicy | undefined;
  policy: ParsedPolicy | undefined;
  contentDedup = false;
  dedupPerGroup = false;

  constructor(public rec: StoredQueue) {
    this.key = queueKey(rec.accountId, rec.region, rec.name);
    this.arn = `arn:aws:sqs:${rec.region}:${rec.accountId}:${rec.name}`;
    this.refresh();
  }

  get fifo(): boolean {
    return this.rec.fifo;
  }

  attribute(name: string): string | undefined {
    const set = this.rec.attributes[name];
    if (set !== undefined) return set;
    return (this.rec.fifo ? FIFO_DEFAULTS : STANDARD_DEFAULTS)[name];
  }

  /** Re-derives the numbers the hot path reads from the attribute strings. */
  refresh(): void {
    const num = (name: string) => Number(this.attribute(name) ?? "0");
    this.visibilityMs = num("VisibilityTimeout") * 1000;
    this.delayMs = num("DelaySeconds") * 1000;
    this.retentionMs = num("MessageRetentionPeriod") * 1000;
    this.maxMessageSize = num("MaximumMessageSize");
    this.waitSeconds = num("ReceiveMessageWaitTimeSeconds");
    const redrive = this.rec.attributes.RedrivePolicy;
    this.redrive = redrive ? (JSON.parse(redrive) as RedrivePolicy) : undefined;
    const policy = this.rec.attributes.Policy;
    const parsed = policy ? parsePolicy(policy, { kind: "resource" }) : undefined;
    this.policy = parsed?.ok ? parsed.policy : undefined;
    this.contentDedup = this.attribute("ContentBasedDeduplication") === "true";
    this.dedupPerGroup = this.attribute("DeduplicationScope") === "messageGroup";
  }
}

export function queueKey(accountId: string, region: string, name: string): string {
  return `${accountId}/${region}/${name}`;
}

export interface TakeOptions {
  max: number;
  visibilityMs: number;
}

export class SqsModel {
  readonly queues = new Map<string, Queue>();
  /** Message move tasks by key `${account}/${region}/${handle}`. */
  readonly moveTasks = new Map<string, StoredMoveTask>();
  /** Names deleted in the last 60 s (safe to lose on restart). */
  private readonly tombstones = new Map<string, number>();
  private readonly sweeper: { cancel(): void };
  private pendingWrites: Array<() => void> = [];
  private flushScheduled = false;
  private inOperation = false;

  constructor(
    private readonly store: DurableStore,
    private readonly scheduler: Scheduler,
  ) {
    this.load();
    this.sweeper = scheduler.setInterval(() => this.sweep(), SWEEP_EVERY_MS);
  }

  private load(): void {
    const now = this.scheduler.now();
    for (const [, rec] of this.store.load<StoredQueue>(QUEUES)) {
      const q = new Queue(rec);
      this.queues.set(q.key, q);
    }
    const byQueue = new Map<Queue, StoredMessage[]>();
    for (const [key, rec] of this.store.load<StoredMessage>(MESSAGES)) {
      const q = this.queues.get(key.slice(0, key.lastIndexOf("/")));
      if (!q) {
        this.store.delete(MESSAGES, key); // an orphan of a queue deleted mid-way
        continue;
      }
      let list = byQueue.get(q);
      if (!list) byQueue.set(q, (list = []));
      list.push(rec);
    }
    for (const [q, list] of byQueue) {
      list.sort((a, b) => a.sentAt - b.sentAt || compareSequence(a.sequenceNumber, b.sequenceNumber));
      for (const rec of list) {
        if (rec.sequenceNumber !== undefined && BigInt(rec.sequenceNumber) > q.lastSequence) q.lastSequence = BigInt(rec.sequenceNumber);
        this.place(q, new Msg(rec), now);
      }
    }
    for (const [key, rec] of this.store.load<StoredMoveTask>(TASKS)) this.moveTasks.set(key, rec);
    for (const [key, rec] of this.store.load<StoredDedup>(DEDUP)) {
      const parts = key.split("/");
      const q = this.queues.get(parts.slice(0, 3).join("/"));
      if (!q || rec.expiresAt <= now) {
        this.store.delete(DEDUP, key);
        continue;
      }
      q.dedup.set(parts.slice(3).join("/"), rec);
      if (BigInt(rec.sequenceNumber) > q.lastSequence) q.lastSequence = BigInt(rec.sequenceNumber);
    }
  }

  close(): void {
    this.flush();
    this.sweeper.cancel();
    for (const q of this.queues.values()) this.dropWaiters(q);
  }

  // ---- durability ---------------------------------------------------------------------------

  /**
   * Writes queue up and are committed together: by the operation that made them, just before it
   * answers (commit()), or at the end of the event loop turn for background work (timers,
   * redrive). So nothing is acknowledged before it is on disk, and writes keep their order.
   * An operation commits at once rather than waiting for the turn to end: with the SDK's requests
   * arriving in separate turns a shared commit gathered ~1.02 writes, and the wait cost every
   * answer a trip round the event loop.
   */
  private write(fn: () => void): void {
    this.pendingWrites.push(fn);
    if (!this.inOperation) this.flushAtEndOfTurn();
  }

  private flushAtEndOfTurn(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      const failure = this.flush();
      if (failure) console.error("sandbox: could not store SQS changes made in the background:", failure.error);
    });
  }

  /**
   * Runs an operation and commits its writes before it answers (once it stops waiting, for one
   * that waits, such as a long poll): nothing is acknowledged before it is stored.
   */
  answer<T>(fn: () => T | Promise<T>): T | Promise<T> {
    const out = this.operation(fn);
    if (out instanceof Promise) {
      return out.then((o) => {
        this.commit();
        return o;
      });
    }
    this.commit();
    return out;
  }

  /**
   * Runs the synchronous part of an operation, whose writes its caller commits (commit()) before
   * answering: they need no flush at the end of the turn, which would cost every request a turn
   * of the event loop's check phase for nothing. Writes an operation made before it failed, or
   * before it began to wait, are flushed at the end of the turn, as background writes are.
   * Operations nest (a delivery inside a call): an inner one leaves its writes to the outer one.
   */
  operation<T>(fn: () => T): T {
    const outer = this.inOperation;
    this.inOperation = true;
    let answeredNow = false;
    try {
      const out = fn();
      answeredNow = !(out instanceof Promise);
      return out;
    } finally {
      this.inOperation = outer;
      if (!outer && !answeredNow && this.pendingWrites.length > 0) this.flushAtEndOfTurn();
    }
  }

  /** Commits every write made so far, before the operation answers; throws when they could not be stored. */
  commit(): void {
    if (this.pendingWrites.length === 0) return;
    const failure = this.flush();
    if (failure !== undefined) throw failure.error;
  }

  /** Commits pending writes in one transaction; answers the failure, if any (the writes are then dropped and the operation fails). */
  flush(): { error: unknown } | undefined {
    this.flushScheduled = false;
    const writes = this.pendingWrites;
    if (writes.length === 0) return undefined;
    this.pendingWrites = [];
    try {
      if (writes.length === 1) writes[0]!();
      else this.store.transaction(() => writes.forEach((w) => w()));
    } catch (e) {
      return { error: e };
    }
    return undefined;
  }

  // ---- queues -------------------------------------------------------------------------------

  get(accountId: string, region: string, name: string): Queue | undefined {
    return this.queues.get(queueKey(accountId, region, name));
  }

  byArn(arn: string): Queue | undefined {
    const [, , service, region, account, name] = arn.split(":");
    if (service !== "sqs" || !region || !account || !name) return undefined;
    return this.get(account, region, name);
  }

  deletedRecently(accountId: string, region: string, name: string, now: number): boolean {
    const at = this.tombstones.get(queueKey(accountId, region, name));
    return at !== undefined && now - at < RECREATE_WAIT_MS;
  }

  createQueue(rec: StoredQueue): Queue {
    const q = new Queue(rec);
    this.write(() => this.store.put(QUEUES, q.key, rec));
    this.queues.set(q.key, q);
    this.tombstones.delete(q.key);
    return q;
  }

  saveQueue(q: Queue): void {
    q.refresh();
    this.write(() => this.store.put(QUEUES, q.key, q.rec));
  }

  deleteQueue(q: Queue, now: number): void {
    this.write(() => {
      this.store.delete(QUEUES, q.key);
      this.store.deletePrefix(MESSAGES, `${q.key}/`);
      this.store.deletePrefix(DEDUP, `${q.key}/`);
    });
    this.queues.delete(q.key);
    this.tombstones.set(q.key, now);
    for (const m of q.messages.values()) m.deleted = true;
    this.dropWaiters(q);
  }

  purge(q: Queue, now: number): void {
    q.rec.lastPurgeAt = now;
    this.write(() => {
      this.store.deletePrefix(MESSAGES, `${q.key}/`);
      this.store.put(QUEUES, q.key, q.rec);
    });
    for (const m of q.messages.values()) m.deleted = true;
    q.messages.clear();
    q.ready.clear();
    q.timeline.clear();
    q.groups.clear();
  }

  resetAccount(accountId: string): void {
    const prefix = `${accountId}/`;
    this.flush(); // the admin API expects the reset done when this returns
    this.store.transaction(() => {
      for (const table of [QUEUES, MESSAGES, DEDUP, TASKS]) this.store.deletePrefix(table, prefix);
    });
    for (const key of [...this.moveTasks.keys()]) if (key.startsWith(prefix)) this.moveTasks.delete(key);
    for (const [key, q] of this.queues) {
      if (!key.startsWith(prefix)) continue;
      this.queues.delete(key);
      for (const m of q.messages.values()) m.deleted = true;
      this.dropWaiters(q);
    }
    for (const key of [...this.tombstones.keys()]) if (key.startsWith(prefix)) this.tombstones.delete(key);
  }

  /** Counts for GetQueueAttributes; the one place that looks at every message (not a hot path). */
  counts(q: Queue, now: number): { visible: number; inflight: number; delayed: number } {
    let visible = 0;
    let inflight = 0;
    let delayed = 0;
    for (const m of q.messages.values()) {
      const r = m.rec;
      if (now - r.enqueuedAt >= q.retentionMs) continue;
      if (r.visibleAt <= now) visible++;
      else if (r.receiveCount > 0) inflight++;
      else delayed++;
    }
    return { visible, inflight, delayed };
  }

  // ---- messages -----------------------------------------------------------------------------

  nextSequence(q: Queue, now: number): string {
    // Time-based, so numbers keep increasing across restarts without persisting a counter.
    const fromClock = BigInt(now) * 10_000_000n;
    q.lastSequence = q.lastSequence >= fromClock ? q.lastSequence + 1n : fromClock;
    return q.lastSequence.toString().padStart(20, "0");
  }

  /** The deduplicated answer for a FIFO send, if the id was seen within five minutes. */
  findDuplicate(q: Queue, dedupKey: string, now: number): StoredDedup | undefined {
    const d = q.dedup.get(dedupKey);
    if (d && d.expiresAt > now) return d;
    return undefined;
  }

  /** Stores a new message (one write; two for FIFO, in one transaction) and wakes a waiting receive. */
  addMessage(q: Queue, rec: StoredMessage, now: number, dedupKey?: string): void {
    const key = `${q.key}/${rec.id}`;
    if (dedupKey === undefined) {
      this.write(() => this.store.put(MESSAGES, key, rec));
    } else {
      const d: StoredDedup = { messageId: rec.id, sequenceNumber: rec.sequenceNumber ?? "", expiresAt: now + DEDUP_WINDOW_MS };
      this.write(() => {
        this.store.put(MESSAGES, key, rec);
        this.store.put(DEDUP, `${q.key}/${dedupKey}`, d);
      });
      q.dedup.set(dedupKey, d);
    }
    this.place(q, new Msg(rec), now);
    if (q.waiters.length > 0) {
      if (rec.visibleAt <= now) this.serveWaiters(q);
      else this.armWake(q);
    }
  }

  /** Puts a message into the queue's structures according to its state. */
  private place(q: Queue, msg: Msg, now: number): void {
    q.messages.set(msg.rec.id, msg);
    const r = msg.rec;
    if (q.fifo) {
      const groupId = r.groupId ?? "";
      let g = q.groups.get(groupId);
      if (!g) q.groups.set(groupId, (g = { messages: new Deque(), inflight: new Set() }));
      g.messages.push(msg);
      if (r.visibleAt > now) {
        if (r.receiveCount > 0) g.inflight.add(msg);
        hide(q, msg, r.visibleAt);
      }
    } else if (r.visibleAt > now) {
      hide(q, msg, r.visibleAt);
    } else {
      q.ready.push(msg);
    }
  }

  find(q: Queue, messageId: string): Msg | undefined {
    return q.messages.get(messageId);
  }

  deleteMessage(q: Queue, msg: Msg): void {
    const key = `${q.key}/${msg.rec.id}`;
    this.write(() => this.store.delete(MESSAGES, key));
    this.forget(q, msg);
    // Deleting a FIFO group's in-flight message may unblock the group for a waiting receive.
    if (q.fifo && q.waiters.length > 0) this.serveWaiters(q);
  }

  private forget(q: Queue, msg: Msg): void {
    msg.deleted = true;
    q.messages.delete(msg.rec.id);
    if (msg.entry) q.timeline.remove(msg.entry);
    msg.entry = undefined;
  }

  changeVisibility(q: Queue, msg: Msg, visibleAt: number, now: number): void {
    msg.rec.visibleAt = visibleAt;
    msg.gen++;
    this.write(() => this.store.put(MESSAGES, `${q.key}/${msg.rec.id}`, msg.rec));
    hide(q, msg, visibleAt);
    if (q.waiters.length > 0) {
      if (visibleAt <= now) this.serveWaiters(q);
      else this.armWake(q);
    }
  }

  /**
   * Receives up to `max` messages: hides each for the visibility timeout, counts the receive,
   * moves a message to the dead-letter queue instead when it was already received
   * maxReceiveCount times, and drops messages past retention. Writes all changes in one transaction.
   */
  take(q: Queue, options: TakeOptions, now: number): Msg[] {
    const out: Msg[] = [];
    const writes: Array<() => void> = [];
    if (q.fifo) this.takeFifo(q, options, now, out, writes);
    else this.takeStandard(q, options, now, out, writes);
    for (const w of writes) this.write(w);
    return out;
  }

  private takeStandard(q: Queue, options: TakeOptions, now: number, out: Msg[], writes: Array<() => void>): void {
    for (let top = q.timeline.peek(); top && top.at <= now; top = q.timeline.peek()) {
      q.timeline.pop();
      if (!top.msg.deleted && top.gen === top.msg.gen) q.ready.push(top.msg);
    }
    while (out.length < options.max) {
      const msg = q.ready.shift();
      if (!msg) break;
      if (msg.deleted) continue;
      if (this.expireOrRedrive(q, msg, now, writes)) continue;
      this.markReceived(q, msg, options.visibilityMs, now, writes);
      out.push(msg);
    }
  }

  private takeFifo(q: Queue, options: TakeOptions, now: number, out: Msg[], writes: Array<() => void>): void {
    for (let top = q.timeline.peek(); top && top.at <= now; top = q.timeline.peek()) q.timeline.pop();
    for (const [groupId, g] of q.groups) {
      if (out.length >= options.max) break;
      while (g.messages.length > 0 && g.messages.at(0)!.deleted) g.messages.shift();
      if (g.messages.length === 0) {
        q.groups.delete(groupId);
        continue;
      }
      let blocked = false;
      for (const m of g.inflight) {
        if (m.deleted || m.rec.visibleAt <= now) g.inflight.delete(m);
        else blocked = true;
      }
      if (blocked) continue;
      for (let i = 0; out.length < options.max; i++) {
        const msg = g.messages.at(i);
        if (!msg) break;
        if (msg.deleted) continue;
        if (msg.rec.visibleAt > now) break; // a delayed message holds back the rest of its group
        if (this.expireOrRedrive(q, msg, now, writes)) continue;
        this.markReceived(q, msg, options.visibilityMs, now, writes);
        g.inflight.add(msg);
        out.push(msg);
      }
    }
  }

  private markReceived(q: Queue, msg: Msg, visibilityMs: number, now: number, writes: Array<() => void>): void {
    const r = msg.rec;
    r.receiveCount++;
    r.firstReceiveAt ??= now;
    r.lastReceiveAt = now;
    r.visibleAt = now + visibilityMs;
    r.receipt = `${RECEIPT_PREFIX}${(receiptCounter++).toString(36)}`;
    msg.gen++;
    hide(q, msg, r.visibleAt);
    writes.push(() => this.store.put(MESSAGES, `${q.key}/${r.id}`, r));
  }

  /** True when the message left the queue instead of being received (retention or redrive). */
  private expireOrRedrive(q: Queue, msg: Msg, now: number, writes: Array<() => void>): boolean {
    const r = msg.rec;
    if (now - r.enqueuedAt >= q.retentionMs) {
      this.forget(q, msg);
      writes.push(() => this.store.delete(MESSAGES, `${q.key}/${r.id}`));
      return true;
    }
    const redrive = q.redrive;
    if (!redrive || r.receiveCount < redrive.maxReceiveCount) return false;
    const dlq = this.byArn(redrive.deadLetterTargetArn);
    if (!dlq || dlq === q || dlq.fifo !== q.fifo) return false; // nowhere valid to go: deliver as usual
    this.forget(q, msg);
    const moved: StoredMessage = {
      ...r,
      visibleAt: now,
      // AWS keeps a standard message's original enqueue time (retention counts from the first
      // send); a FIFO message's is reset when it moves.
      enqueuedAt: q.fifo ? now : r.enqueuedAt,
      deadLetterSourceArn: q.arn,
    };
    delete moved.receipt;
    writes.push(() => {
      this.store.delete(MESSAGES, `${q.key}/${r.id}`);
      this.store.put(MESSAGES, `${dlq.key}/${r.id}`, moved);
    });
    this.place(dlq, new Msg(moved), now);
    if (dlq.waiters.length > 0) this.scheduler.setTimeout(() => this.serveWaiters(dlq), 0);
    return true;
  }

  /**
   * Moves the messages available now (not in flight, not delayed) out of a queue, each to the
   * queue `destinationFor` names, as a message move task does; the receive count starts again.
   */
  moveAvailable(src: Queue, destinationFor: (rec: StoredMessage) => Queue | undefined, now: number): { moved: number; toMove: number } {
    const moves: Array<[Msg, Queue, StoredMessage]> = [];
    let toMove = 0;
    for (const m of src.messages.values()) {
      const r = m.rec;
      if (r.visibleAt > now || now - r.enqueuedAt >= src.retentionMs) continue;
      toMove++;
      const dest = destinationFor(r);
      if (!dest || dest === src) continue;
      const moved: StoredMessage = { ...r, visibleAt: now, enqueuedAt: now, receiveCount: 0 };
      delete moved.receipt;
      delete moved.firstReceiveAt;
      delete moved.lastReceiveAt;
      delete moved.deadLetterSourceArn;
      moves.push([m, dest, moved]);
    }
    this.write(() => {
      for (const [m, dest, moved] of moves) {
        this.store.delete(MESSAGES, `${src.key}/${m.rec.id}`);
        this.store.put(MESSAGES, `${dest.key}/${moved.id}`, moved);
      }
    });
    const touched = new Set<Queue>();
    for (const [m, dest, moved] of moves) {
      this.forget(src, m);
      this.place(dest, new Msg(moved), now);
      touched.add(dest);
    }
    for (const q of touched) if (q.waiters.length > 0) this.serveWaiters(q);
    return { moved: moves.length, toMove };
  }

  saveMoveTask(accountId: string, region: string, task: StoredMoveTask): void {
    const key = `${accountId}/${region}/${task.taskHandle}`;
    this.write(() => this.store.put(TASKS, key, task));
    this.moveTasks.set(key, task);
  }

  // ---- long polling -------------------------------------------------------------------------

  addWaiter(q: Queue, waiter: Waiter): void {
    q.waiters.push(waiter);
    this.armWake(q);
  }

  removeWaiter(q: Queue, waiter: Waiter): void {
    const i = q.waiters.indexOf(waiter);
    if (i >= 0) q.waiters.splice(i, 1);
    if (q.waiters.length === 0 && q.wake) {
      q.wake.cancel();
      q.wake = undefined;
    }
  }

  /** Serves waiting receives in arrival order while messages are available. */
  serveWaiters(q: Queue): void {
    while (q.waiters.length > 0 && this.queues.get(q.key) === q) {
      const w = q.waiters[0]!;
      if (!w.attempt()) break;
      q.waiters.shift();
    }
    this.armWake(q);
  }

  /** One timer per queue with waiters, set for the moment the next hidden message surfaces. */
  private armWake(q: Queue): void {
    if (q.waiters.length === 0) {
      q.wake?.cancel();
      q.wake = undefined;
      return;
    }
    for (let top = q.timeline.peek(); top && (top.msg.deleted || top.gen !== top.msg.gen); top = q.timeline.peek()) q.timeline.pop();
    const next = q.timeline.peek()?.at;
    if (next === undefined) return;
    if (q.wake && q.wake.at <= next) return;
    q.wake?.cancel();
    const timer = this.scheduler.setTimeout(
      () => {
        if (q.wake === handle) q.wake = undefined;
        this.serveWaiters(q);
      },
      Math.max(0, next - this.scheduler.now()),
    );
    const handle = { at: next, cancel: () => timer.cancel() };
    q.wake = handle;
  }

  private dropWaiters(q: Queue): void {
    const waiters = q.waiters;
    q.waiters = [];
    q.wake?.cancel();
    q.wake = undefined;
    for (const w of waiters) w.expire();
  }

  /** Drops messages past retention and expired deduplication ids, so idle queues do not keep them. */
  private sweep(): void {
    const now = this.scheduler.now();
    for (const q of this.queues.values()) {
      const gone: string[] = [];
      for (const m of q.messages.values()) {
        if (now - m.rec.enqueuedAt >= q.retentionMs) gone.push(m.rec.id);
      }
      const expiredDedup = [...q.dedup].filter(([, d]) => d.expiresAt <= now).map(([k]) => k);
      if (gone.length === 0 && expiredDedup.length === 0) continue;
      this.write(() => {
        for (const id of gone) this.store.delete(MESSAGES, `${q.key}/${id}`);
        for (const k of expiredDedup) this.store.delete(DEDUP, `${q.key}/${k}`);
      });
      for (const id of gone) {
        const m = q.messages.get(id);
        if (m) this.forget(q, m);
      }
      for (const k of expiredDedup) q.dedup.delete(k);
    }
    for (const [key, at] of this.tombstones) if (now - at >= RECREATE_WAIT_MS) this.tombstones.delete(key);
  }
}

/** Puts the message on the queue's timeline until `at`, replacing the entry it had there. */
function hide(q: Queue, msg: Msg, at: number): void {
  if (msg.entry) q.timeline.remove(msg.entry);
  const entry: TimelineEntry = { at, msg, gen: msg.gen, pos: -1 };
  msg.entry = entry;
  q.timeline.push(entry);
}

function compareSequence(a: string | undefined, b: string | undefined): number {
  if (a === undefined || b === undefined) return 0;
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
