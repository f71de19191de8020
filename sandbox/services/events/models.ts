// EventBridge state: per account, then region, the event buses; per bus its rules, each holding
// its targets and tags. Every change is written to env.store before the handler returns; the
// in-memory maps are rebuilt from the store at construction. Each rule's pattern is compiled once,
// when it is put or loaded, and reused for every event.
import { compileEventPattern, type CompiledPattern } from "@/semantics/event-pattern";
import type { DurableStore } from "@/sandbox/core/contracts";
import { parseScheduleExpression, type Schedule } from "./schedule";

export const TABLE_BUSES = "events_buses";
export const TABLE_RULES = "events_rules";
export const TABLE_PENDING = "events_pending";

export interface Tag {
  Key: string;
  Value: string;
}

/** A target as PutTargets stored it; ListTargetsByRule returns it as is. */
export interface TargetRecord {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: { InputPathsMap?: Record<string, string>; InputTemplate: string };
  SqsParameters?: { MessageGroupId?: string };
  [other: string]: unknown;
}

export interface BusRecord {
  accountId: string;
  region: string;
  name: string;
  description?: string;
  createdAt?: number;
  modifiedAt?: number;
  tags: Tag[];
  /** The bus's resource-based policy (PutPermission), as JSON text. */
  policy?: string;
}

export type RuleStateValue = "ENABLED" | "DISABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

export interface RuleRecord {
  accountId: string;
  region: string;
  busName: string;
  name: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleStateValue;
  description?: string;
  roleArn?: string;
  createdBy: string;
  tags: Tag[];
  targets: TargetRecord[];
  /** When the rate schedule began counting (scheduler clock): creation, schedule change or enable. */
  scheduleAnchor?: number;
}

/** A rule with what is derived from it once: its ARN, compiled pattern and parsed schedule. */
export interface Rule {
  record: RuleRecord;
  arn: string;
  compiled: CompiledPattern | null;
  schedule: Schedule | null;
}

export interface Bus {
  record: BusRecord;
  arn: string;
  rules: Map<string, Rule>;
  /** The default bus exists without being created; it is stored only once it has tags. */
  virtual: boolean;
}

export const busArn = (accountId: string, region: string, name: string) => `arn:aws:events:${region}:${accountId}:event-bus/${name}`;

export const ruleArn = (accountId: string, region: string, bus: string, name: string) =>
  `arn:aws:events:${region}:${accountId}:rule/${bus === "default" ? "" : `${bus}/`}${name}`;

// "|" appears in no bus or rule name, so keys never collide and an account's rows share a prefix.
const busKey = (r: { accountId: string; region: string; name: string }) => `${r.accountId}|${r.region}|${r.name}`;
const ruleKey = (r: RuleRecord) => `${r.accountId}|${r.region}|${r.busName}|${r.name}`;

export function isEnabled(rule: Rule): boolean {
  return rule.record.state !== "DISABLED";
}

function derive(record: RuleRecord): Rule {
  let compiled: CompiledPattern | null = null;
  if (record.eventPattern !== undefined) {
    const result = compileEventPattern(record.eventPattern);
    compiled = result.ok ? result.pattern : null;
  }
  const schedule = record.scheduleExpression !== undefined ? parseScheduleExpression(record.scheduleExpression) : null;
  return { record, arn: ruleArn(record.accountId, record.region, record.busName, record.name), compiled, schedule };
}

export class EventsModel {
  private readonly regions = new Map<string, Map<string, Bus>>();

  constructor(private readonly store: DurableStore) {
    for (const [, record] of store.load<BusRecord>(TABLE_BUSES)) {
      const buses = this.buses(record.accountId, record.region);
      const existing = buses.get(record.name);
      if (existing) {
        existing.record = record;
        existing.virtual = false;
      } else buses.set(record.name, { record, arn: busArn(record.accountId, record.region, record.name), rules: new Map(), virtual: false });
    }
    for (const [, record] of store.load<RuleRecord>(TABLE_RULES)) {
      const bus = this.buses(record.accountId, record.region).get(record.busName);
      if (bus) bus.rules.set(record.name, derive(record));
    }
  }

  /** The buses of an account in a region, the default one always among them. */
  buses(accountId: string, region: string): Map<string, Bus> {
    const key = `${accountId}|${region}`;
    let buses = this.regions.get(key);
    if (!buses) {
      buses = new Map();
      buses.set("default", {
        record: { accountId, region, name: "default", tags: [] },
        arn: busArn(accountId, region, "default"),
        rules: new Map(),
        virtual: true,
      });
      this.regions.set(key, buses);
    }
    return buses;
  }

  bus(accountId: string, region: string, name: string): Bus | undefined {
    return this.buses(accountId, region).get(name);
  }

  /** A bus only if its account and region hold any state (another account's probe creates nothing). */
  peekBus(accountId: string, region: string, name: string): Bus | undefined {
    return this.regions.get(`${accountId}|${region}`)?.get(name);
  }

  /** Every bus of every account and region (for timers at start). */
  *allBuses(): Iterable<Bus> {
    for (const buses of this.regions.values()) yield* buses.values();
  }

  createBus(record: BusRecord): Bus {
    const bus: Bus = { record, arn: busArn(record.accountId, record.region, record.name), rules: new Map(), virtual: false };
    this.store.put(TABLE_BUSES, busKey(record), record);
    this.buses(record.accountId, record.region).set(record.name, bus);
    return bus;
  }

  saveBus(bus: Bus): void {
    bus.virtual = false;
    this.store.put(TABLE_BUSES, busKey(bus.record), bus.record);
  }

  deleteBus(bus: Bus): void {
    const { accountId, region, name } = bus.record;
    this.store.transaction(() => {
      this.store.delete(TABLE_BUSES, busKey(bus.record));
      this.store.deletePrefix(TABLE_RULES, `${accountId}|${region}|${name}|`);
    });
    this.buses(accountId, region).delete(name);
  }

  /** Stores a rule (new or changed) and recompiles what derives from it. */
  saveRule(bus: Bus, record: RuleRecord): Rule {
    this.store.put(TABLE_RULES, ruleKey(record), record);
    const rule = derive(record);
    bus.rules.set(record.name, rule);
    return rule;
  }

  deleteRule(bus: Bus, rule: Rule): void {
    this.store.delete(TABLE_RULES, ruleKey(rule.record));
    bus.rules.delete(rule.record.name);
  }

  resetAccount(accountId: string): void {
    this.store.transaction(() => {
      this.store.deletePrefix(TABLE_BUSES, `${accountId}|`);
      this.store.deletePrefix(TABLE_RULES, `${accountId}|`);
    });
    for (const key of [...this.regions.keys()]) if (key.startsWith(`${accountId}|`)) this.regions.delete(key);
  }
}
