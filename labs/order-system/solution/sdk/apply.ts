// The reference solution's steps 1-5 in SDK form: the same resources, names and settings as
// labs/order-system/solution/cli/0N-*.sh, in milliseconds instead of the AWS CLI's second a call.
// Tests that need a finished step as a starting point (the broken variants, the CLI) prepare
// with this; the CLI scripts themselves are proven by test/integration/checkers/lab-steps.test.ts.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { zipSync } from "fflate";
import { CreateTopicCommand, ListSubscriptionsByTopicCommand, SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from "@aws-sdk/client-eventbridge";
import { AddPermissionCommand, CreateFunctionCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from "@aws-sdk/client-iam";
import { CreateStateMachineCommand, SFNClient } from "@aws-sdk/client-sfn";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
/** What every client needs: the target's endpoint, region and the learner's credentials. */
export interface ClientConfig {
  endpoint?: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  maxAttempts?: number;
}

const SOLUTION = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function topic(config: ClientConfig, name: string): Promise<string> {
  const out = await new SNSClient(config).send(new CreateTopicCommand({ Name: name }));
  return out.TopicArn ?? "";
}

async function queue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }));
  return { url: QueueUrl ?? "", arn: Attributes?.QueueArn ?? "" };
}

export async function step1(config: ClientConfig): Promise<void> {
  await topic(config, "order-events");
}

export async function step2(config: ClientConfig): Promise<void> {
  const sqs = new SQSClient(config);
  for (const name of ["inventory-updates", "shipping-orders"]) {
    const dlq = await queue(sqs, `${name}-dlq`, { MessageRetentionPeriod: "1209600" });
    await queue(sqs, name, { VisibilityTimeout: "30", RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }) });
  }
}

const FILTERS: Record<string, object> = {
  "inventory-updates": { event_type: ["order_created", "order_updated"] },
  "shipping-orders": { shipping_type: ["express", "priority"], order_value: [{ numeric: [">=", 1000] }] },
};

export async function step3(config: ClientConfig): Promise<void> {
  const sns = new SNSClient(config);
  const sqs = new SQSClient(config);
  const topicArn = await topic(config, "order-events");
  const existing = (await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }))).Subscriptions ?? [];
  for (const [name, filter] of Object.entries(FILTERS)) {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn ?? "";
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Sid: "OnlyOrderEventsTopic", Effect: "Allow", Action: "sqs:SendMessage", Resource: arn, Principal: { Service: "sns.amazonaws.com" }, Condition: { ArnEquals: { "aws:SourceArn": topicArn } } },
      ],
    };
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: JSON.stringify(policy) } }));
    if (existing.some((s) => s.Endpoint === arn)) continue;
    await sns.send(
      new SubscribeCommand({ TopicArn: topicArn, Protocol: "sqs", Endpoint: arn, ReturnSubscriptionArn: true, Attributes: { FilterPolicy: JSON.stringify(filter), FilterPolicyScope: "MessageAttributes" } }),
    );
  }
}

async function role(config: ClientConfig, name: string, service: string): Promise<string> {
  const iam = new IAMClient(config);
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: service } }] };
  const out = await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  return out.Role?.Arn ?? "";
}

async function deploy(config: ClientConfig, name: string, roleArn: string): Promise<string> {
  const code = zipSync({ "index.mjs": fs.readFileSync(path.join(SOLUTION, "functions", name, "index.mjs")) });
  const out = await new LambdaClient(config).send(
    new CreateFunctionCommand({ FunctionName: name, Runtime: "nodejs20.x", Handler: "index.handler", Role: roleArn, Code: { ZipFile: code }, Timeout: 10, MemorySize: 128 }),
  );
  return out.FunctionArn ?? "";
}

/** Steps 4 and 5 share lab-lambda-role; call this once before either. */
export function lambdaRole(config: ClientConfig): Promise<string> {
  return role(config, "lab-lambda-role", "lambda.amazonaws.com");
}

export async function step4(config: ClientConfig, lambdaRoleArn: string): Promise<void> {
  const fnArn = await deploy(config, "premium-order-processor", lambdaRoleArn);
  const pattern = { "detail-type": ["OrderCreated"], source: ["com.myapp.orders"], detail: { amount: [{ numeric: [">=", 1000] }] } };
  const { RuleArn } = await new EventBridgeClient(config).send(
    new PutRuleCommand({ Name: "high-value-orders", EventBusName: "default", EventPattern: JSON.stringify(pattern), State: "ENABLED", Description: "Orders worth 1000 or more go to premium processing" }),
  );
  await new LambdaClient(config).send(
    new AddPermissionCommand({ FunctionName: "premium-order-processor", StatementId: "high-value-orders-invoke", Action: "lambda:InvokeFunction", Principal: "events.amazonaws.com", SourceArn: RuleArn }),
  );
  await new EventBridgeClient(config).send(new PutTargetsCommand({ Rule: "high-value-orders", EventBusName: "default", Targets: [{ Id: "premium-order-processor", Arn: fnArn }] }));
}

export async function step5(config: ClientConfig, lambdaRoleArn: string): Promise<void> {
  const functions = ["validate-order", "check-inventory", "reserve-payment", "ship-express", "ship-standard"];
  const fnArns = await Promise.all(functions.map((f) => deploy(config, f, lambdaRoleArn)));
  const topicArns = await Promise.all(["order-notifications", "order-failures"].map((t) => topic(config, t)));
  const statesRole = await role(config, "lab-states-role", "states.amazonaws.com");
  const policy = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "CallOrderFunctions", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [...fnArns, ...fnArns.map((a) => `${a}:*`)] },
      { Sid: "NotifyOrderTopics", Effect: "Allow", Action: "sns:Publish", Resource: topicArns },
    ],
  };
  await new IAMClient(config).send(new PutRolePolicyCommand({ RoleName: "lab-states-role", PolicyName: "order-processing-tasks", PolicyDocument: JSON.stringify(policy) }));
  const account = (await new STSClient(config).send(new GetCallerIdentityCommand({}))).Account ?? "";
  const definition = fs
    .readFileSync(path.join(SOLUTION, "order-processing.asl.json"), "utf8")
    .replaceAll("${Region}", config.region)
    .replaceAll("${AccountId}", account);
  await new SFNClient(config).send(new CreateStateMachineCommand({ name: "order-processing", type: "STANDARD", definition, roleArn: statesRole }));
}

/** What step N's checks read, applied to a fresh account. */
export async function prepareStep(config: ClientConfig, step: number): Promise<void> {
  if (step === 1) return step1(config);
  if (step === 2) return step2(config);
  if (step === 3) {
    await Promise.all([step1(config), step2(config)]);
    return step3(config);
  }
  const lambdaRoleArn = await lambdaRole(config);
  if (step === 4) return step4(config, lambdaRoleArn);
  if (step === 5) return step5(config, lambdaRoleArn);
  throw new Error(`no SDK form for step ${step}`);
}

/** Steps 1-5 of the reference solution, in a fresh account. */
export async function applySolutionSdk(config: ClientConfig): Promise<void> {
  const [lambdaRoleArn] = await Promise.all([lambdaRole(config), prepareStep(config, 3)]);
  await Promise.all([step4(config, lambdaRoleArn), step5(config, lambdaRoleArn)]);
}
