// SNS state: topics, subscriptions, FIFO deduplication records and pending deliveries, kept in
// memory for lookups and written through to env.store before a handler returns, so anything
// acknowledged survives a SIGKILL. Store keys start with the owning account ("<acct>/…") so an
// account reset is one deletePrefix per table.
import { PARTITION_PATTERN, REGION_PATTERN } from "@/sandbox/core/aws-names";
import type { DurableStore } from "@/sandbox/core/contracts";
import { evaluateFilterPolicy, validateFilterPolicy, type CompiledFilterPolicy, type SnsMessage } from "@/semantics/sns-filter-policy";

export const TABLES = {
  topics: "sns_topics",
  subscriptions: "sns_subscriptions",
  dedup: "sns_dedup",
  deliveries: "sns_deliveries",
} as const;

export interface TopicRecord {
  arn: string;
  name: string;
  accountId: string;
  region: string;
  fifo: boolean;
  /** Only the attributes a caller set (DisplayName, Policy, ContentBasedDeduplication…); defaults are computed. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** FIFO sequence counter (a decimal string: it outgrows 2^53). */
  sequence: string;
  subscriptionsDeleted: number;
  createdAt: number;
}

export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  /** The topic's account and region: the subscription lives beside its topic. */
  accountId: string;
  region: string;
  /** The account that subscribed. */
  owner: string;
  /** The subscriber's principal ARN (SubscriptionPrincipal). */
  principalArn: string;
  protocol: string;
  endpoint: string;
  attributes: Record<string, string>;
  confirmed: boolean;
  /** ConfirmSubscription's token while the subscription is pending. */
  token?: string;
  /** ConfirmationWasAuthenticated. */
  authenticated: boolean;
  /**
   * Confirmed by a signed ConfirmSubscription with AuthenticateOnUnsubscribe=true: from then on
   * only a signed Unsubscribe (the topic's or the subscriber's account) removes it, never the link.
   */
  authenticateOnUnsubscribe?: true;
  createdAt: number;
}

/** One Publish's content, as every delivery of it needs it. */
export interface PublishedMessage {
  messageId: string;
  topicArn: string;
  subject?: string;
  /** The text for this delivery's protocol (MessageStructure json already resolved). */
  message: string;
  /** In Publish form; BinaryValue as base64 text. */
  attributes: Record<string, StoredAttribute>;
  timestamp: number;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
}

export interface StoredAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

export interface DeliveryRecord {
  id: string;
  /** Orders deliveries restored after a restart. */
  seq: number;
  /** The topic's account and region. */
  accountId: string;
  region: string;
  kind: "notification" | "confirmation";
  subscriptionArn: string;
  topicArn: string;
  message: PublishedMessage;
  attempts: number;
  createdAt: number;
}

export interface DedupRecord {
  messageId: string;
  sequenceNumber: string;
  at: number;
}

export const FIFO_DEDUP_WINDOW_MS = 5 * 60 * 1000;

export const topicKey = (accountId: string, region: string, name: string) => `${accountId}/${region}/${name}`;
const subscriptionKey = (s: SubscriptionRecord) => `${s.accountId}/${s.region}/${s.arn}`;
const dedupKey = (t: TopicRecord, id: string) => `${t.accountId}/${t.region}/${t.name}/${id}`;
export const deliveryKey = (d: DeliveryRecord) => `${d.accountId}/${d.id}`;

// Regions end up in store keys and in ARNs handed back, so only AWS's region grammar is taken.
const SNS_ARN = new RegExp(`^arn:${PARTITION_PATTERN}:sns:(${REGION_PATTERN}):(\\d{12}):([A-Za-z0-9_-]{1,256}(?:\\.fifo)?)(?::([A-Za-z0-9-]+))?$`);

/** arn:aws:sns:<region>:<account>:<name>[:<subscription id>] */
export function parseSnsArn(arn: string): { region: string; accountId: string; name: string; subscriptionId?: string } | null {
  const m = SNS_ARN.exec(arn);
  if (!m) return null;
  return { region: m[1] as string, accountId: m[2] as string, name: m[3] as string, ...(m[4] ? { subscriptionId: m[4] } : {}) };
}

export class SnsState {
  readonly topics = new Map<string, TopicRecord>();
  readonly subscriptions = new Map<string, SubscriptionRecord>();
  private readonly byTopic = new Map<string, Set<string>>();
  private readonly tokens = new Map<string, string>();
  private readonly dedup = new Map<string, DedupRecord>();
  /** Compiled filter policies, rebuilt from the stored text after a restart. */
  private readonly compiled = new Map<string, CompiledFilterPolicy | null | "invalid">();

  constructor(private readonly store: DurableStore) {
    for (const [, t] of store.load<TopicRecord>(TABLES.topics)) this.topics.set(t.arn, t);
    for (const [, s] of store.load<SubscriptionRecord>(TABLES.subscriptions)) this.index(s);
    for (const [key, d] of store.load<DedupRecord>(TABLES.dedup)) this.dedup.set(key, d);
  }

  private index(s: SubscriptionRecord) {
    this.subscriptions.set(s.arn, s);
    let set = this.byTopic.get(s.topicArn);
    if (!set) this.byTopic.set(s.topicArn, (set = new Set()));
    set.add(s.arn);
    if (s.token) this.tokens.set(s.token, s.arn);
    this.compiled.delete(s.arn);
  }

  putTopic(t: TopicRecord) {
    this.store.put(TABLES.topics, topicKey(t.accountId, t.region, t.name), t);
    this.topics.set(t.arn, t);
  }

  /** Removes the topic with its subscriptions and FIFO records, in one transaction. */
  deleteTopic(t: TopicRecord) {
    this.store.transaction(() => {
      for (const s of this.subscriptionsOf(t.arn)) this.deleteSubscription(s);
      this.store.delete(TABLES.topics, topicKey(t.accountId, t.region, t.name));
      this.store.deletePrefix(TABLES.dedup, `${topicKey(t.accountId, t.region, t.name)}/`);
    });
    this.topics.delete(t.arn);
    this.byTopic.delete(t.arn);
    for (const key of [...this.dedup.keys()]) if (key.startsWith(`${topicKey(t.accountId, t.region, t.name)}/`)) this.dedup.delete(key);
  }

  putSubscription(s: SubscriptionRecord) {
    const old = this.subscriptions.get(s.arn);
    if (old?.token && old.token !== s.token) this.tokens.delete(old.token);
    this.store.put(TABLES.subscriptions, subscriptionKey(s), s);
    this.index(s);
  }

  deleteSubscription(s: SubscriptionRecord) {
    this.store.delete(TABLES.subscriptions, subscriptionKey(s));
    this.subscriptions.delete(s.arn);
    this.byTopic.get(s.topicArn)?.delete(s.arn);
    if (s.token) this.tokens.delete(s.token);
    this.compiled.delete(s.arn);
  }

  subscriptionsOf(topicArn: string): SubscriptionRecord[] {
    const arns = this.byTopic.get(topicArn);
    if (!arns) return [];
    const out: SubscriptionRecord[] = [];
    for (const arn of arns) {
      const s = this.subscriptions.get(arn);
      if (s) out.push(s);
    }
    return out;
  }

  subscriptionByToken(token: string): SubscriptionRecord | undefined {
    const arn = this.tokens.get(token);
    return arn === undefined ? undefined : this.subscriptions.get(arn);
  }

  /** Does the subscription's filter policy (if any) let this message through? */
  matches(s: SubscriptionRecord, message: SnsMessage): boolean {
    let policy = this.compiled.get(s.arn);
    if (policy === undefined) {
      const text = s.attributes.FilterPolicy;
      policy = null;
      if (text) {
        const r = validateFilterPolicy(text, s.attributes.FilterPolicyScope ?? "MessageAttributes");
        // A stored policy was valid when it was set; should the rules ever tighten, a policy that
        // no longer compiles matches nothing rather than everything.
        policy = r.ok ? r.policy : "invalid";
      }
      this.compiled.set(s.arn, policy);
    }
    if (policy === null) return true;
    if (policy === "invalid") return false;
    return evaluateFilterPolicy(policy, message);
  }

  /** The earlier message with this deduplication id within the 5-minute window, if any. */
  findDuplicate(t: TopicRecord, dedupId: string, now: number): DedupRecord | undefined {
    const key = dedupKey(t, dedupId);
    const d = this.dedup.get(key);
    if (!d) return undefined;
    if (now - d.at < FIFO_DEDUP_WINDOW_MS) return d;
    this.dedup.delete(key);
    this.store.delete(TABLES.dedup, key);
    return undefined;
  }

  putDedup(t: TopicRecord, dedupId: string, record: DedupRecord) {
    const key = dedupKey(t, dedupId);
    this.store.put(TABLES.dedup, key, record);
    this.dedup.set(key, record);
  }

  /** Forgets expired deduplication ids (called now and then, so the table does not grow forever). */
  pruneDedup(now: number) {
    for (const [key, d] of this.dedup) {
      if (now - d.at >= FIFO_DEDUP_WINDOW_MS) {
        this.dedup.delete(key);
        this.store.delete(TABLES.dedup, key);
      }
    }
  }

  /** Everything of an account: its topics (with their subscriptions) and the subscriptions it owns elsewhere. */
  resetAccount(accountId: string) {
    this.store.transaction(() => {
      for (const table of Object.values(TABLES)) this.store.deletePrefix(table, `${accountId}/`);
      for (const s of [...this.subscriptions.values()]) if (s.owner === accountId && s.accountId !== accountId) this.deleteSubscription(s);
    });
    for (const t of [...this.topics.values()]) {
      if (t.accountId !== accountId) continue;
      this.topics.delete(t.arn);
      for (const s of this.subscriptionsOf(t.arn)) {
        this.subscriptions.delete(s.arn);
        if (s.token) this.tokens.delete(s.token);
        this.compiled.delete(s.arn);
      }
      this.byTopic.delete(t.arn);
    }
    for (const key of [...this.dedup.keys()]) if (key.startsWith(`${accountId}/`)) this.dedup.delete(key);
  }
}
