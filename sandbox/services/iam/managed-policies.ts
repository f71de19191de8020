// The AWS managed policies learners of this module attach most often, with their documents
// (abridged to the services the sandbox provides). Any other arn:aws:iam::aws:policy/… is
// answered NoSuchEntity, so a typo is caught as on AWS.

export interface AwsManagedPolicy {
  name: string;
  path: string;
  description: string;
  document: Record<string, unknown>;
}

const allow = (action: string | string[], resource: string | string[] = "*") => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: resource }] });

const LIST: AwsManagedPolicy[] = [
  { name: "AdministratorAccess", path: "/", description: "Provides full access to AWS services and resources.", document: allow("*") },
  { name: "ReadOnlyAccess", path: "/", description: "Provides read-only access to AWS services and resources.", document: allow(["sqs:Get*", "sqs:List*", "sns:Get*", "sns:List*", "events:Describe*", "events:List*", "events:TestEventPattern", "states:Describe*", "states:List*", "states:GetExecutionHistory", "lambda:Get*", "lambda:List*", "iam:Get*", "iam:List*"]) },
  { name: "AWSLambdaBasicExecutionRole", path: "/service-role/", description: "Provides write permissions to CloudWatch Logs.", document: allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]) },
  { name: "AWSLambdaRole", path: "/service-role/", description: "Default policy for AWS Lambda service role.", document: allow("lambda:InvokeFunction") },
  { name: "AWSLambdaSQSQueueExecutionRole", path: "/service-role/", description: "Provides receive message, delete message, and read attribute access to SQS queues, and write permissions to CloudWatch logs.", document: allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"]) },
  { name: "AWSLambda_FullAccess", path: "/", description: "Grants full access to AWS Lambda service.", document: allow(["lambda:*", "iam:GetRole", "iam:ListRoles", "iam:PassRole", "sqs:ListQueues", "sns:ListTopics", "states:DescribeStateMachine", "states:ListStateMachines"]) },
  { name: "AmazonSQSFullAccess", path: "/", description: "Provides full access to Amazon SQS.", document: allow("sqs:*") },
  { name: "AmazonSQSReadOnlyAccess", path: "/", description: "Provides read only access to Amazon SQS.", document: allow(["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListDeadLetterSourceQueues", "sqs:ListQueues", "sqs:ListQueueTags"]) },
  { name: "AmazonSNSFullAccess", path: "/", description: "Provides full access to Amazon SNS.", document: allow("sns:*") },
  { name: "AmazonSNSReadOnlyAccess", path: "/", description: "Provides read only access to Amazon SNS.", document: allow(["sns:GetTopicAttributes", "sns:List*", "sns:CheckIfPhoneNumberIsOptedOut", "sns:GetEndpointAttributes", "sns:GetPlatformApplicationAttributes", "sns:GetSMSAttributes", "sns:GetSubscriptionAttributes"]) },
  { name: "AmazonEventBridgeFullAccess", path: "/", description: "Provides full access to Amazon EventBridge.", document: allow(["events:*", "iam:PassRole"]) },
  { name: "AmazonEventBridgeReadOnlyAccess", path: "/", description: "Provides read only access to Amazon EventBridge.", document: allow(["events:Describe*", "events:List*", "events:TestEventPattern"]) },
  { name: "AWSStepFunctionsFullAccess", path: "/", description: "An access policy for providing a user/role/etc access to the AWS StepFunctions API.", document: allow(["states:*", "iam:PassRole"]) },
  { name: "AWSStepFunctionsReadOnlyAccess", path: "/", description: "An access policy for providing read only access to the AWS StepFunctions API.", document: allow(["states:ListStateMachines", "states:ListActivities", "states:DescribeStateMachine", "states:DescribeStateMachineForExecution", "states:ListExecutions", "states:DescribeExecution", "states:GetExecutionHistory", "states:DescribeActivity"]) },
  { name: "IAMReadOnlyAccess", path: "/", description: "Provides read only access to IAM via the AWS Management Console.", document: allow(["iam:Get*", "iam:List*", "iam:Generate*"]) },
  { name: "IAMFullAccess", path: "/", description: "Provides full access to IAM via the AWS Management Console.", document: allow("iam:*") },
];

const BY_ARN = new Map(LIST.map((p) => [`arn:aws:iam::aws:policy${p.path}${p.name}`, p]));

export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return BY_ARN.get(arn);
}

export function awsManagedPolicies(): Array<[arn: string, policy: AwsManagedPolicy]> {
  return [...BY_ARN.entries()];
}
