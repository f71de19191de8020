// One function per EventBridge operation, named after it. Each takes the JSON-protocol input (the
// SDK's …CommandInput), validates it with AWS's constraints and messages, resolves the bus, rule or
// role it names through arns.ts (where other accounts' buses answer to their resource policy),
// changes the model (written to env.store before returning) and returns the …CommandOutput shape.
import { randomUUID } from "node:crypto";
import type {
  CreateEventBusCommandOutput,
  DeleteEventBusCommandOutput,
  DeleteRuleCommandOutput,
  DescribeEventBusCommandOutput,
  DescribeRuleCommandOutput,
  DisableRuleCommandOutput,
  EnableRuleCommandOutput,
  ListEventBusesCommandOutput,
  ListRuleNamesByTargetCommandOutput,
  ListRulesCommandOutput,
  ListTagsForResourceCommandOutput,
  ListTargetsByRuleCommandOutput,
  PutEventsCommandOutput,
  PutPermissionCommandOutput,
  PutRuleCommandOutput,
  PutTargetsCommandOutput,
  RemovePermissionCommandOutput,
  RemoveTargetsCommandOutput,
  TagResourceCommandOutput,
  TestEventPatternCommandOutput,
  UntagResourceCommandOutput,
} from "@aws-sdk/client-eventbridge";
import { compileEventPattern, testEventPattern } from "@/semantics/event-pattern";
import { parsePolicy } from "@/semantics/iam-policy";
import type { RequestContext, ServiceEnvironment } from "@/sandbox/core/contracts";
import type { WireOutput as Out } from "@/sandbox/core/wire-output";
import { busRef, ownBus, ownTagged, passedRole, policyAllows, resolveBus, resolveRule } from "./arns";
import type { Deliverer, PendingDelivery } from "./delivery";
import { parseTargetArn, unsupportedTarget } from "./delivery";
import {
  AccessDeniedException,
  busNotFound,
  crossAccountPassRole,
  invalidSchedule,
  InvalidEventPatternException,
  LimitExceededException,
  ResourceAlreadyExistsException,
  ResourceNotFoundException,
  ValidationException,
} from "./errors";
import { ruleArn, type Bus, type EventsModel, type Rule, type RuleRecord, type RuleStateValue, type Tag, type TargetRecord } from "./models";
import { deliveriesForRule, eventTime, matchingRules, type EventEnvelope } from "./routing";
import { parseScheduleExpression } from "./schedule";
import type { RuleTimers } from "./timers";
import { parseJsonPath, transformerProblem, type InputTransformer } from "./transform";
import { ARN, BUS_NAME, BUS_NAME_OR_ARN, InputReader, NEXT_TOKEN, RULE_NAME, TARGET_ID } from "./validate";

/** EventBridge's state, handed to every operation first. */
export interface Events {
  env: ServiceEnvironment;
  model: EventsModel;
  delivery: Deliverer;
  timers: RuleTimers;
}

type Input = Record<string, unknown>;

/** AWS's limit on targets per rule. */
export const MAX_TARGETS_PER_RULE = 5;
const MAX_TAGS = 50;
/** PutEvents' limit on the total size of a request's entries. */
const MAX_PUT_EVENTS_BYTES = 256 * 1024;
const RULE_STATES: readonly RuleStateValue[] = ["ENABLED", "DISABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"];

// ---------------------------------------------------------------------------------------------
// Shared lookups

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

function compact<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

// NextToken is opaque to callers: the last name of the page, encoded.
function page<T>(items: T[], keyOf: (t: T) => string, nextToken: string | undefined, limit: number | undefined): { items: T[]; next?: string } {
  let start = 0;
  if (nextToken !== undefined) {
    let after: unknown;
    try {
      after = (JSON.parse(Buffer.from(nextToken, "base64url").toString("utf8")) as { after?: unknown }).after;
    } catch {
      after = undefined;
    }
    if (typeof after !== "string") throw ValidationException("The NextToken provided is invalid.");
    start = items.findIndex((t) => keyOf(t) > after);
    if (start < 0) start = items.length;
  }
  const size = limit ?? 100;
  const slice = items.slice(start, start + size);
  const last = slice[slice.length - 1];
  if (start + size < items.length && last !== undefined) {
    return { items: slice, next: Buffer.from(JSON.stringify({ after: keyOf(last) })).toString("base64url") };
  }
  return { items: slice };
}

function readTags(r: InputReader, path: string, required: boolean): Tag[] | undefined {
  const list = r.structures(path, { required, max: MAX_TAGS });
  if (!list) return undefined;
  return list.map((t, i) => {
    const Key = r.string(`${path}.${i + 1}.member.Key`, { required: true, min: 1, max: 128 }, t, "Key");
    const Value = r.string(`${path}.${i + 1}.member.Value`, { required: true, max: 256 }, t, "Value");
    return { Key: Key ?? "", Value: Value ?? "" };
  });
}

function mergeTags(existing: Tag[], added: Tag[]): Tag[] {
  const byKey = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of added) byKey.set(t.Key, t.Value);
  if (byKey.size > MAX_TAGS) throw LimitExceededException(`The resource can have at most ${MAX_TAGS} tags.`);
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}

// ---------------------------------------------------------------------------------------------
// Event buses

export function CreateEventBus(svc: Events, input: Input, ctx: RequestContext): Out<CreateEventBusCommandOutput> {
  const r = InputReader.of(input);
  const name = r.string("Name", { ...BUS_NAME, required: true });
  const eventSource = r.string("EventSourceName", { min: 1, max: 256 });
  const description = r.string("Description", { max: 512 });
  const tags = readTags(r, "Tags", false) ?? [];
  r.done();
  const busName = name as string;
  if (svc.model.bus(ctx.accountId, ctx.region, busName)) throw ResourceAlreadyExistsException(`Event bus ${busName} already exists.`);
  // Partner event sources do not exist in the sandbox, so no partner bus can be made.
  if (eventSource !== undefined) throw ResourceNotFoundException(`Event source ${eventSource} does not exist.`);
  if (busName.includes("/")) throw ValidationException("Event bus name must not contain '/'.");
  const now = ctx.now;
  const bus = svc.model.createBus(compact({ accountId: ctx.accountId, region: ctx.region, name: busName, description, createdAt: now, modifiedAt: now, tags }));
  return compact({ EventBusArn: bus.arn, Description: description });
}

function describeBus(bus: Bus) {
  return compact({
    Name: bus.record.name,
    Arn: bus.arn,
    Description: bus.record.description,
    Policy: bus.record.policy,
    CreationTime: seconds(bus.record.createdAt),
    LastModifiedTime: seconds(bus.record.modifiedAt),
  });
}

export function DescribeEventBus(svc: Events, input: Input, ctx: RequestContext): Out<DescribeEventBusCommandOutput> {
  const r = InputReader.of(input);
  const name = r.string("Name", BUS_NAME_OR_ARN);
  r.done();
  return describeBus(resolveBus(svc.model, name, "events:DescribeEventBus", ctx));
}

export function ListEventBuses(svc: Events, input: Input, ctx: RequestContext): Out<ListEventBusesCommandOutput> {
  const r = InputReader.of(input);
  const prefix = r.string("NamePrefix", BUS_NAME);
  const nextToken = r.string("NextToken", NEXT_TOKEN);
  const limit = r.integer("Limit", { min: 1, max: 100 });
  r.done();
  const buses = [...svc.model.buses(ctx.accountId, ctx.region).values()]
    .filter((b) => prefix === undefined || b.record.name.startsWith(prefix))
    .sort((a, b) => (a.record.name < b.record.name ? -1 : 1));
  const p = page(buses, (b) => b.record.name, nextToken, limit);
  return compact({ EventBuses: p.items.map(describeBus), NextToken: p.next });
}

export function DeleteEventBus(svc: Events, input: Input, ctx: RequestContext): Out<DeleteEventBusCommandOutput> {
  const r = InputReader.of(input);
  const name = r.string("Name", { ...BUS_NAME, required: true }) as string;
  r.done();
  if (name === "default") throw ValidationException("Cannot delete event bus default.");
  const bus = svc.model.bus(ctx.accountId, ctx.region, name);
  // Deleting a bus that is not there succeeds, as on AWS; its rules go with it.
  if (bus) {
    for (const rule of bus.rules.values()) svc.timers.disarm(rule.arn);
    svc.model.deleteBus(bus);
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Rules

export function PutRule(svc: Events, input: Input, ctx: RequestContext): Out<PutRuleCommandOutput> {
  const r = InputReader.of(input);
  const name = r.string("Name", { ...RULE_NAME, required: true }) as string;
  const schedule = r.string("ScheduleExpression", { max: 256 });
  const pattern = r.string("EventPattern");
  const state = r.string("State", { enumValues: RULE_STATES }) as RuleStateValue | undefined;
  const description = r.string("Description", { max: 512 });
  const roleArn = r.string("RoleArn", ARN);
  const tags = readTags(r, "Tags", false);
  const busInput = r.string("EventBusName", BUS_NAME_OR_ARN);
  r.done();
  const busName = busRef(busInput, ctx).name;
  if (roleArn !== undefined) passedRole(roleArn, ctx);

  if (!pattern && !schedule) throw ValidationException("Parameter(s) EventPattern or ScheduleExpression must be specified.");
  if (schedule !== undefined) {
    if (busName !== "default") throw ValidationException("ScheduleExpression is supported only on the default event bus.");
    if (!parseScheduleExpression(schedule)) throw invalidSchedule();
  }
  if (pattern !== undefined) {
    const compiled = compileEventPattern(pattern);
    if (!compiled.ok) throw InvalidEventPatternException(compiled.error.message);
  }
  // Another account may put a rule on this bus only as the bus's policy allows (events:PutRule on
  // the rule's ARN, events:creatorAccount being whoever made the rule, or the caller for a new one).
  const { bus, existing } = ruleForPut(svc, busInput, name, ctx);
  const newState = state ?? "ENABLED";
  // A rate schedule counts from when it began: creation, a new expression, or re-enabling.
  const restart = !existing || existing.scheduleExpression !== schedule || (existing.state === "DISABLED" && newState !== "DISABLED");
  const record: RuleRecord = compact({
    accountId: bus.record.accountId,
    region: bus.record.region,
    busName: bus.record.name,
    name,
    eventPattern: pattern,
    scheduleExpression: schedule,
    state: newState,
    description,
    roleArn,
    createdBy: existing?.createdBy ?? ctx.accountId,
    // PutRule replaces a rule's settings but keeps its targets; tags are set only at creation.
    tags: existing ? existing.tags : (tags ?? []),
    targets: existing ? existing.targets : [],
    scheduleAnchor: schedule === undefined ? undefined : restart ? svc.env.scheduler.now() : existing?.scheduleAnchor,
  });
  const rule = svc.model.saveRule(bus, record);
  svc.timers.sync(rule);
  return { RuleArn: rule.arn };
}

function ruleForPut(svc: Events, busInput: string | undefined, name: string, ctx: RequestContext): { bus: Bus; existing?: RuleRecord } {
  const ref = busRef(busInput, ctx);
  const current = ref.region === ctx.region ? svc.model.peekBus(ref.accountId, ref.region, ref.name)?.rules.get(name)?.record : undefined;
  const extra = { "events:creatorAccount": current?.createdBy ?? ctx.accountId };
  const bus = resolveBus(svc.model, busInput, "events:PutRule", ctx, (b) => ruleArn(b.accountId, b.region, b.name, name), extra);
  const existing = bus.rules.get(name)?.record;
  return existing ? { bus, existing } : { bus };
}

function ruleSummary(rule: Rule) {
  const rec = rule.record;
  return compact({
    Name: rec.name,
    Arn: rule.arn,
    EventPattern: rec.eventPattern,
    State: rec.state,
    Description: rec.description,
    ScheduleExpression: rec.scheduleExpression,
    RoleArn: rec.roleArn,
    EventBusName: rec.busName,
  });
}

function readRuleAndBus(r: InputReader, member = "Name"): { name: string; busInput: string | undefined } {
  const name = r.string(member, { ...RULE_NAME, required: true }) as string;
  const busInput = r.string("EventBusName", BUS_NAME_OR_ARN);
  r.done();
  return { name, busInput };
}

export function DescribeRule(svc: Events, input: Input, ctx: RequestContext): Out<DescribeRuleCommandOutput> {
  const { name, busInput } = readRuleAndBus(InputReader.of(input));
  const { rule } = resolveRule(svc.model, busInput, name, "events:DescribeRule", ctx);
  return { ...ruleSummary(rule), CreatedBy: rule.record.createdBy };
}

export function ListRules(svc: Events, input: Input, ctx: RequestContext): Out<ListRulesCommandOutput> {
  const r = InputReader.of(input);
  const prefix = r.string("NamePrefix", RULE_NAME);
  const busInput = r.string("EventBusName", BUS_NAME_OR_ARN);
  const nextToken = r.string("NextToken", NEXT_TOKEN);
  const limit = r.integer("Limit", { min: 1, max: 100 });
  r.done();
  const bus = resolveBus(svc.model, busInput, "events:ListRules", ctx);
  const rules = [...bus.rules.values()]
    .filter((rule) => prefix === undefined || rule.record.name.startsWith(prefix))
    .sort((a, b) => (a.record.name < b.record.name ? -1 : 1));
  const p = page(rules, (rule) => rule.record.name, nextToken, limit);
  return compact({ Rules: p.items.map(ruleSummary), NextToken: p.next });
}

export function DeleteRule(svc: Events, input: Input, ctx: RequestContext): Out<DeleteRuleCommandOutput> {
  const r = InputReader.of(input);
  r.boolean("Force");
  const { name, busInput } = readRuleAndBus(r);
  const ref = busRef(busInput, ctx);
  const current = ref.region === ctx.region ? svc.model.peekBus(ref.accountId, ref.region, ref.name)?.rules.get(name) : undefined;
  // Deleting what is not there succeeds, as on AWS, once the caller may delete rules on the bus.
  if (ref.accountId === ctx.accountId && !current) return {};
  const { bus, rule } = resolveRule(svc.model, busInput, name, "events:DeleteRule", ctx);
  if (rule.record.targets.length > 0) throw ValidationException("Rule can't be deleted since it has targets.");
  svc.timers.disarm(rule.arn);
  svc.model.deleteRule(bus, rule);
  return {};
}

function setState(svc: Events, input: Input, ctx: RequestContext, state: RuleStateValue) {
  const { name, busInput } = readRuleAndBus(InputReader.of(input));
  const action = state === "DISABLED" ? "events:DisableRule" : "events:EnableRule";
  const { bus, rule } = resolveRule(svc.model, busInput, name, action, ctx);
  const wasDisabled = rule.record.state === "DISABLED";
  const record: RuleRecord = { ...rule.record, state };
  if (record.scheduleExpression !== undefined && wasDisabled && state !== "DISABLED") record.scheduleAnchor = svc.env.scheduler.now();
  svc.timers.sync(svc.model.saveRule(bus, record));
  return {};
}

export function EnableRule(svc: Events, input: Input, ctx: RequestContext): Out<EnableRuleCommandOutput> {
  return setState(svc, input, ctx, "ENABLED");
}

export function DisableRule(svc: Events, input: Input, ctx: RequestContext): Out<DisableRuleCommandOutput> {
  return setState(svc, input, ctx, "DISABLED");
}

// ---------------------------------------------------------------------------------------------
// Targets

function readTarget(r: InputReader, t: Input, i: number): TargetRecord {
  const at = `Targets.${i + 1}.member`;
  const target: TargetRecord = {
    Id: r.string(`${at}.Id`, { ...TARGET_ID, required: true }, t, "Id") ?? "",
    Arn: r.string(`${at}.Arn`, { ...ARN, required: true }, t, "Arn") ?? "",
  };
  const RoleArn = r.string(`${at}.RoleArn`, ARN, t, "RoleArn");
  const Input = r.string(`${at}.Input`, { max: 8192 }, t, "Input");
  const InputPath = r.string(`${at}.InputPath`, { max: 256 }, t, "InputPath");
  if (RoleArn !== undefined) target.RoleArn = RoleArn;
  if (Input !== undefined) target.Input = Input;
  if (InputPath !== undefined) target.InputPath = InputPath;
  const transformer = r.object(`${at}.InputTransformer`, t);
  if (transformer) {
    const InputTemplate = r.string(`${at}.InputTransformer.InputTemplate`, { required: true, min: 1, max: 8192 }, transformer, "InputTemplate") ?? "";
    const map = r.object(`${at}.InputTransformer.InputPathsMap`, transformer);
    const InputPathsMap: Record<string, string> = {};
    for (const [k, v] of Object.entries(map ?? {})) {
      if (typeof v !== "string") throw ValidationException(`InputPathsMap for target ${target.Id} must map ${k} to a JSON path string.`);
      InputPathsMap[k] = v;
    }
    target.InputTransformer = map ? { InputPathsMap, InputTemplate } : { InputTemplate };
  }
  const sqs = r.object(`${at}.SqsParameters`, t);
  if (sqs) {
    const MessageGroupId = r.string(`${at}.SqsParameters.MessageGroupId`, {}, sqs, "MessageGroupId");
    target.SqsParameters = MessageGroupId === undefined ? {} : { MessageGroupId };
  }
  // Kept so ListTargetsByRule echoes them; the sandbox's delivery does not act on them.
  const retry = r.object(`${at}.RetryPolicy`, t);
  if (retry) {
    const MaximumRetryAttempts = r.integer(`${at}.RetryPolicy.MaximumRetryAttempts`, { min: 0, max: 185 }, retry);
    const MaximumEventAgeInSeconds = r.integer(`${at}.RetryPolicy.MaximumEventAgeInSeconds`, { min: 60, max: 86400 }, retry);
    target.RetryPolicy = compact({ MaximumRetryAttempts, MaximumEventAgeInSeconds });
  }
  const dlq = r.object(`${at}.DeadLetterConfig`, t);
  if (dlq) target.DeadLetterConfig = compact({ Arn: r.string(`${at}.DeadLetterConfig.Arn`, ARN, dlq, "Arn") });
  return target;
}

/** Why AWS refuses the whole PutTargets request because of this target, or null. */
function targetProblem(t: TargetRecord): string | null {
  if (!/^arn:[\d\w:\-/.$]*$/.test(t.Arn) || !parseTargetArn(t.Arn)) {
    return `Parameter ${t.Arn} is not valid. Reason: Provided Arn is not in correct format.`;
  }
  const given = [t.Input, t.InputPath, t.InputTransformer].filter((x) => x !== undefined).length;
  if (given > 1) return `Only one of Input, InputPath, or InputTransformer must be provided for target ${t.Id}.`;
  if (t.Input !== undefined) {
    try {
      JSON.parse(t.Input);
    } catch {
      return `Parameter Input is not valid for target ${t.Id}: it is not valid JSON text.`;
    }
  }
  if (t.InputPath !== undefined && !parseJsonPath(t.InputPath)) return `Parameter InputPath is not valid for target ${t.Id}.`;
  if (t.InputTransformer) {
    const problem = transformerProblem(t.Id, t.InputTransformer as InputTransformer);
    if (problem) return problem;
  }
  const arn = parseTargetArn(t.Arn);
  if (arn?.service === "sqs" && arn.resource.endsWith(".fifo") && t.SqsParameters?.MessageGroupId === undefined) {
    return `Parameter(s) SqsParameters must be specified for target: ${t.Id}.`;
  }
  return null;
}

export function PutTargets(svc: Events, input: Input, ctx: RequestContext): Out<PutTargetsCommandOutput> {
  const r = InputReader.of(input);
  const ruleName = r.string("Rule", { ...RULE_NAME, required: true }) as string;
  const busInput = r.string("EventBusName", BUS_NAME_OR_ARN);
  const list = r.structures("Targets", { required: true, min: 1, max: 10 }) ?? [];
  const targets = list.map((t, i) => readTarget(r, t, i));
  r.done();
  const { bus, rule } = resolveRule(svc.model, busInput, ruleName, "events:PutTargets", ctx);
  const owner = bus.record.accountId === ctx.accountId;
  for (const t of targets) {
    const problem = targetProblem(t);
    if (problem) throw ValidationException(problem);
    const arn = parseTargetArn(t.Arn);
    // The execution role is the caller's to pass, and must be in the bus's account (iam:PassRole).
    if (t.RoleArn !== undefined && (passedRole(t.RoleArn, ctx), !owner)) throw crossAccountPassRole();
    // EventBridge starts a state machine only with a role (it has no resource-based policy).
    if (arn?.service === "states" && t.RoleArn === undefined) throw ValidationException(`RoleArn is required for target ${t.Arn}.`);
    // "For cross-account targets other than event buses, calling PutTarget from an account
    // different from the event bus is not supported" (Sending events to an AWS service in another account).
    if (!owner && arn?.service !== "events") {
      throw AccessDeniedException(`Only the event bus's account can add a target other than an event bus: ${t.Arn}.`);
    }
  }
  const failed: Array<{ TargetId: string; ErrorCode: string; ErrorMessage: string }> = [];
  const accepted = new Map<string, TargetRecord>();
  for (const t of targets) {
    const unsupported = unsupportedTarget(t.Arn);
    if (unsupported) failed.push({ TargetId: t.Id, ErrorCode: "ValidationException", ErrorMessage: unsupported });
    else accepted.set(t.Id, t); // a repeated Id: the later definition wins
  }
  const merged = rule.record.targets.filter((t) => !accepted.has(t.Id));
  if (merged.length + accepted.size > MAX_TARGETS_PER_RULE) {
    throw LimitExceededException("The requested resource exceeds the maximum number allowed.");
  }
  if (accepted.size) svc.model.saveRule(bus, { ...rule.record, targets: [...merged, ...accepted.values()] });
  return { FailedEntryCount: failed.length, FailedEntries: failed };
}

export function ListTargetsByRule(svc: Events, input: Input, ctx: RequestContext): Out<ListTargetsByRuleCommandOutput> {
  const r = InputReader.of(input);
  const nextToken = r.string("NextToken", NEXT_TOKEN);
  const limit = r.integer("Limit", { min: 1, max: 100 });
  const { name, busInput } = readRuleAndBus(r, "Rule");
  const { rule } = resolveRule(svc.model, busInput, name, "events:ListTargetsByRule", ctx);
  const targets = [...rule.record.targets].sort((a, b) => (a.Id < b.Id ? -1 : 1));
  const p = page(targets, (t) => t.Id, nextToken, limit);
  return compact({ Targets: p.items, NextToken: p.next });
}

export function RemoveTargets(svc: Events, input: Input, ctx: RequestContext): Out<RemoveTargetsCommandOutput> {
  const r = InputReader.of(input);
  const ids = r.strings("Ids", { required: true, min: 1, max: 100 }) ?? [];
  r.boolean("Force");
  const { name, busInput } = readRuleAndBus(r, "Rule");
  const { bus, rule } = resolveRule(svc.model, busInput, name, "events:RemoveTargets", ctx);
  const remaining = rule.record.targets.filter((t) => !ids.includes(t.Id));
  if (remaining.length !== rule.record.targets.length) svc.model.saveRule(bus, { ...rule.record, targets: remaining });
  return { FailedEntryCount: 0, FailedEntries: [] };
}

export function ListRuleNamesByTarget(svc: Events, input: Input, ctx: RequestContext): Out<ListRuleNamesByTargetCommandOutput> {
  const r = InputReader.of(input);
  const targetArn = r.string("TargetArn", { ...ARN, required: true }) as string;
  const busInput = r.string("EventBusName", BUS_NAME_OR_ARN);
  const nextToken = r.string("NextToken", NEXT_TOKEN);
  const limit = r.integer("Limit", { min: 1, max: 100 });
  r.done();
  const bus = resolveBus(svc.model, busInput, "events:ListRuleNamesByTarget", ctx);
  const names = [...bus.rules.values()]
    .filter((rule) => rule.record.targets.some((t) => t.Arn === targetArn))
    .map((rule) => rule.record.name)
    .sort();
  const p = page(names, (n) => n, nextToken, limit);
  return compact({ RuleNames: p.items, NextToken: p.next });
}

// ---------------------------------------------------------------------------------------------
// Events

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

function entrySize(e: Input): number {
  // AWS's documented formula: 14 bytes for Time, plus the UTF-8 size of the other fields.
  const bytes = (v: unknown) => (typeof v === "string" ? Buffer.byteLength(v, "utf8") : 0);
  const resources = Array.isArray(e.Resources) ? e.Resources.reduce((n: number, x) => n + bytes(x), 0) : 0;
  return (e.Time !== undefined ? 14 : 0) + bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail) + resources;
}

const JAVA_DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const JAVA_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** java.util.Date#toString in UTC, as AWS prints an entry's Time. */
function javaDate(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, "0");
  return `${JAVA_DAYS[d.getUTCDay()]} ${JAVA_MONTHS[d.getUTCMonth()]} ${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

/** AWS prints the entries of a too-long PutEvents request with the Java model's toString. */
function showEntries(list: unknown[]): string {
  const field = (v: unknown) => (v === undefined || v === null ? "null" : Array.isArray(v) ? `[${v.map(String).join(", ")}]` : String(v));
  const entry = (e: unknown) => {
    const o = (e !== null && typeof e === "object" ? e : {}) as Input;
    const time = o.Time === undefined || o.Time === null ? "null" : javaDate(timeOf(o.Time, 0));
    return (
      `PutEventsRequestEntry(time=${time}, source=${field(o.Source)}, resources=${field(o.Resources)}, detailType=${field(o.DetailType)}, ` +
      `detail=${field(o.Detail)}, eventBusName=${field(o.EventBusName)}, traceHeader=${field(o.TraceHeader)}, kmsKeyIdentifier=null, internalMetadata=null)`
    );
  };
  return `[${list.map(entry).join(", ")}]`;
}

/** Nesting deeper than this is refused: rendering such an event for a target would overflow the stack. */
const MAX_DETAIL_DEPTH = 1000;

/** The nesting depth of a parsed JSON value, measured without recursion. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== "object") continue;
    if (d > max) max = d;
    if (max > MAX_DETAIL_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

function timeOf(value: unknown, fallback: number): number {
  // The JSON protocol carries timestamps as epoch seconds; accept ISO text too.
  if (typeof value === "number" && Number.isFinite(value)) return value * 1000;
  if (typeof value === "string") {
    const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  return fallback;
}

export function PutEvents(svc: Events, input: Input, ctx: RequestContext): Out<PutEventsCommandOutput> {
  const r = InputReader.of(input);
  const entries = r.structures("Entries", { required: true, min: 1, max: 10, show: showEntries }) ?? [];
  entries.forEach((e, i) => {
    const at = `Entries.${i + 1}.member`;
    r.string(`${at}.Source`, {}, e, "Source");
    r.string(`${at}.DetailType`, {}, e, "DetailType");
    r.string(`${at}.Detail`, {}, e, "Detail");
    r.string(`${at}.EventBusName`, BUS_NAME_OR_ARN, e, "EventBusName");
    r.strings(`${at}.Resources`, {}, e);
    r.string(`${at}.TraceHeader`, { min: 1, max: 500 }, e, "TraceHeader");
  });
  r.done();
  if (entries.reduce((n, e) => n + entrySize(e), 0) > MAX_PUT_EVENTS_BYTES) {
    throw ValidationException("Total size of the entries in the request is over the limit.");
  }

  // A missing bus of the caller's fails the whole request, before any entry is accepted (as AWS
  // answers); another account's bus is judged per entry, by its resource policy.
  const buses = entries.map((e) => {
    const ref = busRef(e.EventBusName as string | undefined, ctx);
    if (ref.region !== ctx.region) throw busNotFound(ref.name);
    return ref.accountId === ctx.accountId ? { bus: ownBus(svc.model, ref), ref } : { bus: svc.model.peekBus(ref.accountId, ref.region, ref.name), ref };
  });
  // EventBridge itself forwarding an event from a rule's bus-to-bus target keeps its source.
  const forwarded = ctx.principal.kind === "service" && ctx.principal.service === "events.amazonaws.com";

  const results: EntryResult[] = [];
  const rows: PendingDelivery[] = [];
  const matchedRules: Rule[] = [];
  for (const [i, e] of entries.entries()) {
    const { bus, ref } = buses[i] as { bus: Bus | undefined; ref: { accountId: string; arn: string } };
    const source = e.Source as string | undefined;
    const detailType = e.DetailType as string | undefined;
    const detailText = e.Detail as string | undefined;
    if (!source) {
      results.push({ ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Source is not valid. Reason: Source is a required argument." });
      continue;
    }
    if (!detailType) {
      results.push({ ErrorCode: "InvalidArgument", ErrorMessage: "Parameter DetailType is not valid. Reason: DetailType is a required argument." });
      continue;
    }
    if (!detailText) {
      results.push({ ErrorCode: "InvalidArgument", ErrorMessage: "Parameter Detail is not valid. Reason: Detail is a required argument." });
      continue;
    }
    let detail: unknown;
    try {
      detail = JSON.parse(detailText);
    } catch {
      detail = undefined;
    }
    if (detail === null || typeof detail !== "object" || Array.isArray(detail) || depthOf(detail) > MAX_DETAIL_DEPTH) {
      results.push({ ErrorCode: "MalformedDetail", ErrorMessage: "Detail is malformed." });
      continue;
    }
    if (!bus || (ref.accountId !== ctx.accountId && !policyAllows(bus, "events:PutEvents", bus.arn, ctx, { "events:source": source, "events:detail-type": detailType }))) {
      const who = ctx.principal.kind === "service" ? `arn:aws:iam::${ctx.principal.accountId}:root` : ctx.principal.arn;
      results.push({
        ErrorCode: "AccessDeniedException",
        ErrorMessage: `User: ${who} is not authorized to perform: events:PutEvents on resource: ${ref.arn} because no resource-based policy allows the events:PutEvents action`,
      });
      continue;
    }
    // Only AWS services may send events with an aws.* source.
    if (source.startsWith("aws.") && !forwarded) {
      results.push({ ErrorCode: "NotAuthorizedForSourceException", ErrorMessage: "Not authorized for the source." });
      continue;
    }
    const event: EventEnvelope = {
      version: "0",
      id: randomUUID(),
      "detail-type": detailType,
      source,
      account: ctx.accountId,
      time: eventTime(timeOf(e.Time, ctx.now)),
      region: ctx.region,
      resources: (e.Resources as string[] | undefined) ?? [],
      detail: detail as Record<string, unknown>,
    };
    for (const rule of matchingRules(bus, event)) {
      matchedRules.push(rule);
      rows.push(...deliveriesForRule(rule, event, ctx.now));
    }
    results.push({ EventId: event.id });
  }
  // Durable before the caller hears "accepted"; delivered from the next tick on.
  if (rows.length) svc.env.store.transaction(() => svc.delivery.persist(rows));
  for (const rule of matchedRules) svc.delivery.metricsFor(rule.arn).matchedEvents++;
  svc.delivery.start(rows);
  const failed = results.filter((x) => "ErrorCode" in x).length;
  return { FailedEntryCount: failed, Entries: results };
}

export function TestEventPattern(_svc: Events, input: Input, _ctx: RequestContext): Out<TestEventPatternCommandOutput> {
  const r = InputReader.of(input);
  const pattern = r.string("EventPattern", { required: true });
  const event = r.string("Event", { required: true });
  r.done();
  const result = testEventPattern(pattern as string, event as string);
  if ("error" in result) {
    if (result.error.code === "InvalidEventPatternException") throw InvalidEventPatternException(result.error.message);
    throw ValidationException(result.error.message);
  }
  return { Result: result.result };
}

// ---------------------------------------------------------------------------------------------
// Tags

type Tagged = { kind: "rule"; bus: Bus; rule: Rule } | { kind: "bus"; bus: Bus };

function setTags(svc: Events, target: Tagged, tags: Tag[]): void {
  if (target.kind === "rule") svc.model.saveRule(target.bus, { ...target.rule.record, tags });
  else {
    target.bus.record = { ...target.bus.record, tags };
    svc.model.saveBus(target.bus);
  }
}

const currentTags = (t: Tagged) => (t.kind === "rule" ? t.rule.record.tags : t.bus.record.tags);

export function TagResource(svc: Events, input: Input, ctx: RequestContext): Out<TagResourceCommandOutput> {
  const r = InputReader.of(input);
  const arn = r.string("ResourceARN", { ...ARN, required: true }) as string;
  const tags = readTags(r, "Tags", true) ?? [];
  r.done();
  const target = ownTagged(svc.model, arn, "events:TagResource", ctx);
  setTags(svc, target, mergeTags(currentTags(target), tags));
  return {};
}

export function UntagResource(svc: Events, input: Input, ctx: RequestContext): Out<UntagResourceCommandOutput> {
  const r = InputReader.of(input);
  const arn = r.string("ResourceARN", { ...ARN, required: true }) as string;
  const keys = r.strings("TagKeys", { required: true }) ?? [];
  r.done();
  const target = ownTagged(svc.model, arn, "events:UntagResource", ctx);
  setTags(svc, target, currentTags(target).filter((t) => !keys.includes(t.Key)));
  return {};
}

export function ListTagsForResource(svc: Events, input: Input, ctx: RequestContext): Out<ListTagsForResourceCommandOutput> {
  const r = InputReader.of(input);
  const arn = r.string("ResourceARN", { ...ARN, required: true }) as string;
  r.done();
  return { Tags: currentTags(ownTagged(svc.model, arn, "events:ListTagsForResource", ctx)) };
}

// ---------------------------------------------------------------------------------------------
// The bus's resource-based policy: what other accounts may do on it (PutEvents to it, rules on it)

const STATEMENT_ID = { min: 1, max: 64, pattern: /^[a-zA-Z0-9-_]+$/, patternText: "[a-zA-Z0-9-_]+" };

function policyStatements(bus: Bus): Record<string, unknown>[] {
  if (!bus.record.policy) return [];
  const doc = JSON.parse(bus.record.policy) as { Statement?: unknown };
  return Array.isArray(doc.Statement) ? (doc.Statement as Record<string, unknown>[]) : [];
}

function savePolicy(svc: Events, bus: Bus, statements: Record<string, unknown>[] | string | undefined, ctx: RequestContext): void {
  const policy = typeof statements === "string" ? statements : statements?.length ? JSON.stringify({ Version: "2012-10-17", Statement: statements }) : undefined;
  bus.record = compact({ ...bus.record, policy, modifiedAt: ctx.now });
  if (policy === undefined) delete bus.record.policy;
  svc.model.saveBus(bus);
}

export function PutPermission(svc: Events, input: Input, ctx: RequestContext): Out<PutPermissionCommandOutput> {
  const r = InputReader.of(input);
  const busName = r.string("EventBusName", BUS_NAME);
  const action = r.string("Action", { min: 1, max: 64, pattern: /^events:[a-zA-Z]+$/, patternText: "events:[a-zA-Z]+" });
  const principal = r.string("Principal", { min: 1, max: 12, pattern: /^(\d{12}|\*)$/, patternText: "(\\d{12}|\\*)" });
  const sid = r.string("StatementId", STATEMENT_ID);
  const condition = r.object("Condition");
  const policy = r.string("Policy");
  const conditionType = condition ? r.string("Condition.Type", { required: true, max: 256 }, condition, "Type") : undefined;
  const conditionKey = condition ? r.string("Condition.Key", { required: true, max: 256 }, condition, "Key") : undefined;
  const conditionValue = condition ? r.string("Condition.Value", { required: true, max: 256 }, condition, "Value") : undefined;
  r.done();
  // Only the bus's own account sets its policy: EventBusName is a name, never another account's ARN.
  const bus = ownBus(svc.model, busRef(busName, ctx));
  if (policy !== undefined) {
    const parsed = parsePolicy(policy, { kind: "resource" });
    if (!parsed.ok) throw ValidationException(`Parameter Policy is not valid. Reason: ${parsed.error}`);
    savePolicy(svc, bus, policy, ctx);
    return {};
  }
  if (action === undefined || principal === undefined || sid === undefined) {
    throw ValidationException("Parameter(s) Action, Principal and StatementId must be specified, or Policy.");
  }
  const statement: Record<string, unknown> = {
    Sid: sid,
    Effect: "Allow",
    Principal: principal === "*" ? "*" : { AWS: `arn:aws:iam::${principal}:root` },
    Action: action,
    Resource: bus.arn,
  };
  if (conditionType && conditionKey && conditionValue) statement.Condition = { [conditionType]: { [conditionKey]: conditionValue } };
  // A statement with the same id is replaced, so PutPermission can be repeated.
  savePolicy(svc, bus, [...policyStatements(bus).filter((st) => st.Sid !== sid), statement], ctx);
  return {};
}

export function RemovePermission(svc: Events, input: Input, ctx: RequestContext): Out<RemovePermissionCommandOutput> {
  const r = InputReader.of(input);
  const busName = r.string("EventBusName", BUS_NAME);
  const sid = r.string("StatementId", STATEMENT_ID);
  const all = r.boolean("RemoveAllPermissions");
  r.done();
  const bus = ownBus(svc.model, busRef(busName, ctx));
  if (!bus.record.policy) throw ResourceNotFoundException("EventBus does not have a policy.");
  if (all === true) {
    savePolicy(svc, bus, undefined, ctx);
    return {};
  }
  if (sid === undefined) throw ValidationException("Parameter StatementId must be specified unless RemoveAllPermissions is true.");
  const statements = policyStatements(bus);
  if (!statements.some((st) => st.Sid === sid)) throw ResourceNotFoundException("Statement with the provided id does not exist.");
  savePolicy(svc, bus, statements.filter((st) => st.Sid !== sid), ctx);
  return {};
}

/** Every EventBridge operation the sandbox provides, by its AWS name (index.ts builds the table from it). */
export const handlers = {
  CreateEventBus,
  DescribeEventBus,
  ListEventBuses,
  DeleteEventBus,
  PutRule,
  DescribeRule,
  ListRules,
  DeleteRule,
  EnableRule,
  DisableRule,
  PutTargets,
  ListTargetsByRule,
  RemoveTargets,
  ListRuleNamesByTarget,
  PutEvents,
  TestEventPattern,
  TagResource,
  UntagResource,
  ListTagsForResource,
  PutPermission,
  RemovePermission,
} satisfies Record<string, (svc: Events, input: Input, ctx: RequestContext) => unknown>;
