// Step 3: both queues subscribed to the topic; each filter policy judged on the sample
// messages (with their SNS data types); each queue policy evaluated as a policy.
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, type Subscription } from "@aws-sdk/client-sns";
import { evaluatePolicy, type PolicyRequest } from "@/semantics/iam-policy";
import { explainFilterPolicy, validateFilterPolicy } from "@/semantics/sns-filter-policy";
import { findTopicArn, isNotFound, named, parseArn, queueInfo, roleKey, type QueueInfo } from "../collectors";
import type { CheckContext, Connection } from "../context";
import { runCheck } from "../run-check";
import { FILTER_INTENT, FILTER_SAMPLES, QUEUE_ROLES, type QueueRole, type SampleMessage } from "../samples";
import type { CheckResult, StepChecker, Verdict } from "../types";

const DOCS_FANOUT = "/module#sns-fan-out-to-sqs-queues";
const DOCS_FILTERS = "/module#sns-subscription-filter-policies";

export interface SubscriptionFacts {
  arn: string;
  attributes: Record<string, string>;
}

export interface FanOutFacts {
  queueName: string;
  topicName: string;
  topicArn: string;
  topicExists: boolean;
  queue: QueueInfo | undefined;
  /** The topic's sqs subscription to this queue's ARN, with its attributes. */
  subscription: SubscriptionFacts | undefined;
}

const WANTED = FILTER_INTENT;

export function decideSubscribed(f: FanOutFacts): Verdict {
  if (!f.topicExists) {
    return { status: "fail", message: `The SNS topic ${f.topicName} does not exist, so ${f.queueName} cannot be subscribed to it`, hint: `Finish step 1 first: create the topic ${f.topicName}`, expected: f.topicArn, found: null };
  }
  if (f.queue === undefined) {
    return { status: "fail", message: `The queue ${f.queueName} does not exist, so it cannot be subscribed to ${f.topicName}`, hint: `Finish step 2 first: create the queue ${f.queueName}`, found: null };
  }
  if (f.subscription === undefined) {
    return {
      status: "fail",
      message: `The queue ${f.queueName} is not subscribed to ${f.topicName}`,
      hint: `Subscribe it: aws sns subscribe --topic-arn ${f.topicArn} --protocol sqs --notification-endpoint ${f.queue.arn}, with its filter policy in --attributes`,
      expected: { protocol: "sqs", endpoint: f.queue.arn },
      found: null,
    };
  }
  if (f.subscription.attributes.PendingConfirmation === "true") {
    return { status: "fail", message: `The subscription of ${f.queueName} to ${f.topicName} is still pending confirmation`, hint: "An SQS subscription in the same account is confirmed at once; delete this one and subscribe again with the queue's ARN", found: f.subscription.arn };
  }
  return { status: "pass", message: `The queue ${f.queueName} is subscribed to ${f.topicName} (${f.subscription.arn})`, found: f.subscription.arn };
}

function noSubscription(f: FanOutFacts, what: string): Verdict {
  return { status: "skip", message: `The queue ${f.queueName} has no subscription to ${f.topicName}, so its ${what} cannot be judged` };
}

export function decideFilterScope(f: FanOutFacts, role: QueueRole | undefined): Verdict {
  if (f.subscription === undefined) return noSubscription(f, "filter policy");
  const a = f.subscription.attributes;
  const wanted = role ? `: ${WANTED[role]}` : "";
  if (a.FilterPolicy === undefined || a.FilterPolicy === "") {
    return { status: "fail", message: `The subscription of ${f.queueName} has no filter policy, so the queue receives every order event`, hint: `Set a FilterPolicy on the subscription${wanted}`, found: null };
  }
  const scope = a.FilterPolicyScope || "MessageAttributes";
  if (scope !== "MessageAttributes") {
    return {
      status: "fail",
      message: `The filter policy of ${f.queueName} applies to the ${scope}, but the order service sends what the filters need as message attributes`,
      hint: "Set the subscription attribute FilterPolicyScope to MessageAttributes (aws sns set-subscription-attributes --attribute-name FilterPolicyScope --attribute-value MessageAttributes)",
      expected: "MessageAttributes",
      found: scope,
    };
  }
  const v = validateFilterPolicy(a.FilterPolicy, scope);
  if (!v.ok) return { status: "fail", message: `The filter policy of ${f.queueName} is not valid: ${v.error.message}`, hint: `Rewrite the filter policy${wanted}`, found: a.FilterPolicy };
  return { status: "pass", message: `The filter policy of ${f.queueName} applies to message attributes`, found: scope };
}

export function decideFilterSample(f: FanOutFacts, role: QueueRole, sample: SampleMessage): Verdict {
  if (f.subscription === undefined) return noSubscription(f, "filter policy");
  const a = f.subscription.attributes;
  const policy = a.FilterPolicy;
  const scope = a.FilterPolicyScope || "MessageAttributes";
  let delivered: boolean;
  let why = "";
  if (policy === undefined || policy === "") {
    delivered = true;
    why = "the subscription has no filter policy";
  } else {
    const v = validateFilterPolicy(policy, scope);
    if (!v.ok) return { status: "fail", message: `The filter policy of ${f.queueName} is not valid: ${v.error.message}`, hint: `Rewrite it: ${WANTED[role]}`, found: policy };
    const x = explainFilterPolicy(v.policy, { attributes: sample.attributes, body: sample.body });
    delivered = x.matched;
    if (!x.matched) why = x.reason;
  }
  const found = { delivered, filterPolicy: policy ?? null, scope };
  if (delivered === sample.deliver) {
    return { status: "pass", message: `The filter policy of ${f.queueName} ${delivered ? "delivers" : "does not deliver"} ${sample.describe}, as it should`, expected: { delivered: sample.deliver }, found };
  }
  if (sample.deliver) {
    const scopeHint = scope !== "MessageAttributes" ? " The filter looks at the message body, but these values travel as message attributes: set FilterPolicyScope to MessageAttributes." : "";
    return {
      status: "fail",
      message: `The filter policy of ${f.queueName} does not deliver ${sample.describe}, which it should: ${why}`,
      hint: `Change the filter policy: ${WANTED[role]}.${role === "shipping" ? ' A numeric ">" leaves out the number itself where ">=" includes it.' : ""}${scopeHint}`,
      expected: { delivered: true },
      found,
    };
  }
  return {
    status: "fail",
    message: `The filter policy of ${f.queueName} delivers ${sample.describe}, which it should not${why ? ` (${why})` : ""}`,
    hint: `Narrow the filter policy: ${WANTED[role]}`,
    expected: { delivered: false },
    found,
  };
}

function snsSends(queueArn: string, topicArn: string): PolicyRequest {
  const account = parseArn(topicArn)?.account ?? "";
  return {
    principal: { type: "Service", id: "sns.amazonaws.com" },
    action: "sqs:SendMessage",
    resource: queueArn,
    context: { "aws:SourceArn": topicArn, "aws:SourceAccount": account },
  };
}

/** Topics that must not be able to write: another topic here, and the same name in another account. */
export function otherTopics(topicArn: string): string[] {
  const p = parseArn(topicArn);
  if (!p) return [];
  const otherAccount = p.account === "111111111111" ? "222222222222" : "111111111111";
  return [`arn:${p.partition}:sns:${p.region}:${p.account}:${p.resource}-impostor`, `arn:${p.partition}:sns:${p.region}:${otherAccount}:${p.resource}`];
}

const POLICY_HINT = (f: FanOutFacts, arn: string) =>
  `Give ${f.queueName} an access policy with a statement: Effect Allow, Principal {"Service": "sns.amazonaws.com"}, Action sqs:SendMessage, Resource ${arn}, Condition {"ArnEquals": {"aws:SourceArn": "${f.topicArn}"}}`;

function cannotJudgePolicy(f: FanOutFacts): Verdict | undefined {
  if (f.queue === undefined) return { status: "skip", message: `The queue ${f.queueName} does not exist, so its access policy cannot be judged` };
  if (!f.topicExists) return { status: "skip", message: `The topic ${f.topicName} does not exist, so whether ${f.queueName} lets it send cannot be judged` };
  return undefined;
}

export function decidePolicyAllowsTopic(f: FanOutFacts): Verdict {
  const skip = cannotJudgePolicy(f);
  if (skip || f.queue === undefined) return skip as Verdict;
  const policy = f.queue.attributes.Policy;
  if (policy === undefined || policy === "") {
    return { status: "fail", message: `The queue ${f.queueName} has no access policy, so SNS may not deliver messages from ${f.topicName} to it`, hint: POLICY_HINT(f, f.queue.arn), found: null };
  }
  const r = evaluatePolicy(policy, snsSends(f.queue.arn, f.topicArn), { kind: "resource" });
  if (!r.ok) return { status: "fail", message: `The access policy of ${f.queueName} cannot be read: ${r.error}`, hint: POLICY_HINT(f, f.queue.arn), found: policy };
  if (r.decision !== "Allow") {
    return { status: "fail", message: `The access policy of ${f.queueName} does not let ${f.topicName} send to it: ${r.reason}`, hint: POLICY_HINT(f, f.queue.arn), expected: "Allow", found: r.decision };
  }
  return { status: "pass", message: `The access policy of ${f.queueName} lets sns.amazonaws.com send messages from ${f.topicArn}`, found: r.decision };
}

export function decidePolicyDeniesOthers(f: FanOutFacts): Verdict {
  const skip = cannotJudgePolicy(f);
  if (skip || f.queue === undefined) return skip as Verdict;
  const policy = f.queue.attributes.Policy;
  if (policy === undefined || policy === "") return { status: "skip", message: `The queue ${f.queueName} has no access policy yet, so no topic can send to it` };
  for (const other of otherTopics(f.topicArn)) {
    const r = evaluatePolicy(policy, snsSends(f.queue.arn, other), { kind: "resource" });
    if (!r.ok) return { status: "fail", message: `The access policy of ${f.queueName} cannot be read: ${r.error}`, hint: POLICY_HINT(f, f.queue.arn), found: policy };
    if (r.decision === "Allow") {
      return {
        status: "fail",
        message: `The access policy of ${f.queueName} also lets another topic, ${other}, send to it: ${r.reason}`,
        hint: `Limit the statement to your topic with the condition {"ArnEquals": {"aws:SourceArn": "${f.topicArn}"}}, so no other topic can write to the queue`,
        expected: "only " + f.topicArn,
        found: { allowedTopic: other },
      };
    }
  }
  return { status: "pass", message: `The access policy of ${f.queueName} refuses messages from any topic other than ${f.topicName}` };
}

async function listSubscriptions(c: Connection, topicArn: string): Promise<Subscription[] | undefined> {
  const out: Subscription[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await c.clients.sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn, ...(token ? { NextToken: token } : {}) }));
      out.push(...(page.Subscriptions ?? []));
      token = page.NextToken;
    } while (token);
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
  return out;
}

async function collect(c: Connection, topicName: string, queues: string[]): Promise<FanOutFacts[]> {
  const found = await findTopicArn(c, topicName);
  const topicArn = found ?? `(no topic ${topicName} in ${c.region})`;
  const subsP = found ? listSubscriptions(c, found) : Promise.resolve(undefined);
  subsP.catch(() => undefined);
  return Promise.all(
    queues.map(async (queueName) => {
      const [queue, subs] = await Promise.all([queueInfo(c, queueName), subsP]);
      const base = { queueName, topicName, topicArn, topicExists: subs !== undefined, queue };
      const sub = queue ? subs?.find((s) => s.Protocol === "sqs" && s.Endpoint === queue.arn) : undefined;
      if (!sub?.SubscriptionArn) return { ...base, subscription: undefined };
      if (!sub.SubscriptionArn.startsWith("arn:")) {
        return { ...base, subscription: { arn: sub.SubscriptionArn, attributes: { PendingConfirmation: "true" } } };
      }
      const attrs = await c.clients.sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: sub.SubscriptionArn }));
      return { ...base, subscription: { arn: sub.SubscriptionArn, attributes: attrs.Attributes ?? {} } };
    }),
  );
}

async function run(ctx: CheckContext): Promise<CheckResult[]> {
  const queues = ctx.step.resources.queues ?? [];
  const topic = ctx.step.resources.topic ?? "(unnamed)";
  const facts = (async () => collect(ctx, named(ctx.step.resources.topic, "topic"), named(ctx.step.resources.queues, "queues")))();
  facts.catch(() => undefined);
  const checks = queues.flatMap((queueName, i) => {
    const role = QUEUE_ROLES[i];
    const key = roleKey(QUEUE_ROLES, i, queueName);
    const get = async () => (await facts)[i] as FanOutFacts;
    const meta = (id: string, title: string, docs: string) => ({ id: `step3.${key}-${id}`, title, resource: `subscription of queue ${queueName} to ${topic}`, docs });
    const list = [
      runCheck(meta("subscribed", `${queueName} is subscribed to ${topic}`, DOCS_FANOUT), async () => decideSubscribed(await get())),
      runCheck(meta("filter-scope", `${queueName}'s filter policy applies to message attributes`, DOCS_FILTERS), async () => decideFilterScope(await get(), role)),
    ];
    if (role) {
      for (const sample of FILTER_SAMPLES[role]) {
        list.push(
          runCheck(meta(`filter-${sample.label}`, `${queueName}'s filter ${sample.deliver ? "accepts" : "rejects"} ${sample.describe}`, DOCS_FILTERS), async () =>
            decideFilterSample(await get(), role, sample),
          ),
        );
      }
    }
    list.push(
      runCheck({ ...meta("policy-allows-topic", `${queueName}'s policy lets ${topic} send`, DOCS_FANOUT), resource: `access policy of queue ${queueName}` }, async () =>
        decidePolicyAllowsTopic(await get()),
      ),
      runCheck({ ...meta("policy-denies-other-topics", `${queueName}'s policy lets no other topic send`, DOCS_FANOUT), resource: `access policy of queue ${queueName}` }, async () =>
        decidePolicyDeniesOthers(await get()),
      ),
    );
    return list;
  });
  if (queues.length === 0) {
    checks.push(runCheck({ id: "step3.queues", title: "Queues are named", resource: "step's queues" }, (): Verdict => named<Verdict>(undefined, "queues")));
  }
  return Promise.all(checks);
}

export const step3: StepChecker = {
  step: 3,
  slug: "fan-out",
  actions: ["sns:ListTopics", "sns:ListSubscriptionsByTopic", "sns:GetSubscriptionAttributes", "sqs:GetQueueUrl", "sqs:GetQueueAttributes"],
  run,
};
