// Snapshot and restore, with the SDK, of what the broken variants change in steps 2-5: quicker
// than re-running a step's reference script with the AWS CLI (17-70 s), so a step's variants can
// share one prepared account. Takes the snapshot after the reference scripts ran.
import { CreateQueueCommand, GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { GetSubscriptionAttributesCommand, ListSubscriptionsByTopicCommand, ListTopicsCommand, SetSubscriptionAttributesCommand, SNSClient } from "@aws-sdk/client-sns";
import { DescribeRuleCommand, EnableRuleCommand, EventBridgeClient, PutRuleCommand } from "@aws-sdk/client-eventbridge";
import { AddPermissionCommand, LambdaClient, RemovePermissionCommand } from "@aws-sdk/client-lambda";
import { DescribeStateMachineCommand, ListStateMachinesCommand, SFNClient, UpdateStateMachineCommand } from "@aws-sdk/client-sfn";
import type { ClientConfig } from "@/test/support/sandbox";

type Restore = () => Promise<void>;

const QUEUES = ["inventory-updates", "shipping-orders", "inventory-updates-dlq", "shipping-orders-dlq"];
/** The queue attributes the variants touch (all settable). */
const QUEUE_ATTRIBUTES = ["VisibilityTimeout", "MessageRetentionPeriod", "RedrivePolicy", "Policy"] as const;

async function queues(config: ClientConfig): Promise<Restore> {
  const sqs = new SQSClient(config);
  const saved = await Promise.all(
    QUEUES.map(async (name) => {
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["All"] }));
      const keep = Object.fromEntries(QUEUE_ATTRIBUTES.map((k) => [k, Attributes[k] ?? ""]));
      return { name, attributes: keep };
    }),
  );
  return async () => {
    // DLQs first (a variant may have deleted one; CreateQueue brings it back under the same ARN).
    for (const q of [...saved].reverse()) {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: q.name }));
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: q.attributes }));
    }
  };
}

async function subscriptions(config: ClientConfig): Promise<Restore> {
  const sns = new SNSClient(config);
  const { Topics = [] } = await sns.send(new ListTopicsCommand({}));
  const TopicArn = Topics.map((t) => t.TopicArn ?? "").find((a) => a.endsWith(":order-events"));
  const { Subscriptions = [] } = await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn }));
  const saved = await Promise.all(
    Subscriptions.map(async (s) => {
      const { Attributes = {} } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s.SubscriptionArn }));
      return { arn: s.SubscriptionArn ?? "", scope: Attributes.FilterPolicyScope ?? "MessageAttributes", policy: Attributes.FilterPolicy ?? "" };
    }),
  );
  const restoreQueues = await queues(config);
  return async () => {
    for (const s of saved) {
      await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: s.arn, AttributeName: "FilterPolicyScope", AttributeValue: s.scope }));
      await sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn: s.arn, AttributeName: "FilterPolicy", AttributeValue: s.policy }));
    }
    await restoreQueues();
  };
}

async function rule(config: ClientConfig): Promise<Restore> {
  const events = new EventBridgeClient(config);
  const lambda = new LambdaClient(config);
  const r = await events.send(new DescribeRuleCommand({ Name: "high-value-orders" }));
  return async () => {
    await events.send(new PutRuleCommand({ Name: "high-value-orders", EventPattern: r.EventPattern, State: "ENABLED", Description: r.Description }));
    await events.send(new EnableRuleCommand({ Name: "high-value-orders" }));
    // As 04-eventbridge-rule.sh does it: drop the statement if there, add it again.
    await lambda.send(new RemovePermissionCommand({ FunctionName: "premium-order-processor", StatementId: "high-value-orders-invoke" })).catch(() => undefined);
    await lambda.send(
      new AddPermissionCommand({ FunctionName: "premium-order-processor", StatementId: "high-value-orders-invoke", Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com", SourceArn: r.Arn }),
    );
  };
}

async function stateMachine(config: ClientConfig): Promise<Restore> {
  const sfn = new SFNClient(config);
  const { stateMachines = [] } = await sfn.send(new ListStateMachinesCommand({}));
  const stateMachineArn = stateMachines.find((m) => m.name === "order-processing")?.stateMachineArn;
  const { definition } = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }));
  return async () => {
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition }));
  };
}

/** Snapshots what step `step`'s variants may change; returns the function that puts it back. */
export function snapshotStep(config: ClientConfig, step: number): Promise<Restore> {
  switch (step) {
    case 2:
      return queues(config);
    case 3:
      return subscriptions(config);
    case 4:
      return rule(config);
    case 5:
      return stateMachine(config);
    default:
      throw new Error(`no snapshot for step ${step}`);
  }
}
