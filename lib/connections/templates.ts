// What the learner runs to create the grader role in their own account: a CloudFormation
// template (download; a console quick-create link only when the operator hosts it at
// TEMPLATE_BASE_URL), the filled-in `aws cloudformation create-stack` command, a Terraform
// snippet and plain AWS CLI commands. All carry the same trust policy (the grader principal,
// with the learner's ExternalId) and the permission policy generated from the checkers.
import type { PolicyDocument } from "./grader-policy";
import { toYaml, type YamlValue } from "./yaml";

export const ROLE_NAME = "LabGraderRole";
export const STACK_NAME = "lab-grader";
export const TEMPLATE_FILE = "lab-grader-role.yaml";
const POLICY_NAME = "lab-grader";

export interface RoleSetup {
  /** The principal the role trusts: "arn:aws:iam::<grader account>:root". */
  graderPrincipal: string;
  externalId: string;
  policy: PolicyDocument;
  region: string;
}

export function trustPolicy(graderPrincipal: string, externalId: string) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { AWS: graderPrincipal },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": externalId } },
      },
    ],
  };
}

/**
 * The template is the same for every learner (so an operator can host one copy); the learner's
 * ExternalId and the grader principal are parameters the command or the link fills in.
 */
export function cloudFormationTemplate(policy: PolicyDocument): string {
  const doc: YamlValue = {
    AWSTemplateFormatVersion: "2010-09-09",
    Description: "Lab Grader: a read-only role the grader assumes to check the order-system lab (plus the step 6 probe).",
    Parameters: {
      GraderPrincipal: { Type: "String", Description: "The grader's AWS principal, shown on the Connect page.", AllowedPattern: "^arn:aws[a-z-]*:iam::\\d{12}:(root|role/.+|user/.+)$" },
      ExternalId: { Type: "String", Description: "Your ExternalId, shown on the Connect page.", MinLength: "2", MaxLength: "1224", AllowedPattern: "^[\\w+=,.@:/-]+$" },
      RoleName: { Type: "String", Default: ROLE_NAME },
    },
    Resources: {
      LabGraderRole: {
        Type: "AWS::IAM::Role",
        Properties: {
          RoleName: { Ref: "RoleName" },
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Principal: { AWS: { Ref: "GraderPrincipal" } },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } },
              },
            ],
          },
          Policies: [{ PolicyName: POLICY_NAME, PolicyDocument: policy as unknown as YamlValue }],
        },
      },
    },
    Outputs: {
      RoleArn: { Description: "Paste this into the Connect page.", Value: { "Fn::GetAtt": ["LabGraderRole", "Arn"] } },
    },
  };
  return toYaml(doc);
}

export function createStackCommand(s: RoleSetup): string {
  return [
    `aws cloudformation create-stack --stack-name ${STACK_NAME} --region ${s.region} \\`,
    `  --template-body file://${TEMPLATE_FILE} --capabilities CAPABILITY_NAMED_IAM \\`,
    `  --parameters ParameterKey=GraderPrincipal,ParameterValue=${s.graderPrincipal} ParameterKey=ExternalId,ParameterValue=${s.externalId}`,
    `aws cloudformation wait stack-create-complete --stack-name ${STACK_NAME} --region ${s.region}`,
    `aws cloudformation describe-stacks --stack-name ${STACK_NAME} --region ${s.region} --query "Stacks[0].Outputs[?OutputKey=='RoleArn'].OutputValue" --output text`,
  ].join("\n");
}

/** Only with TEMPLATE_BASE_URL: the console needs the template at an S3 URL it can read. */
export function quickCreateLink(s: RoleSetup, templateBaseUrl: string | undefined): string | undefined {
  if (!templateBaseUrl) return undefined;
  const templateUrl = `${templateBaseUrl.replace(/\/+$/, "")}/${TEMPLATE_FILE}`;
  const q = new URLSearchParams({ templateURL: templateUrl, stackName: STACK_NAME, param_GraderPrincipal: s.graderPrincipal, param_ExternalId: s.externalId });
  return `https://console.aws.amazon.com/cloudformation/home?region=${encodeURIComponent(s.region)}#/stacks/quickcreate?${q.toString()}`;
}

const json = (v: unknown) => JSON.stringify(v, null, 2);
const indent = (text: string, by: string) => text.split("\n").map((l) => by + l).join("\n");

export function terraformSnippet(s: RoleSetup): string {
  return [
    `resource "aws_iam_role" "lab_grader" {`,
    `  name                 = "${ROLE_NAME}"`,
    `  max_session_duration = 3600`,
    `  assume_role_policy   = <<-JSON`,
    indent(json(trustPolicy(s.graderPrincipal, s.externalId)), "    "),
    `  JSON`,
    `}`,
    ``,
    `resource "aws_iam_role_policy" "lab_grader" {`,
    `  name   = "${POLICY_NAME}"`,
    `  role   = aws_iam_role.lab_grader.id`,
    `  policy = <<-JSON`,
    indent(json(s.policy), "    "),
    `  JSON`,
    `}`,
    ``,
    `output "lab_grader_role_arn" {`,
    `  value = aws_iam_role.lab_grader.arn`,
    `}`,
  ].join("\n");
}

/** Plain AWS CLI; with an endpoint (LocalStack) every call gets --endpoint-url. */
export function cliCommands(s: RoleSetup, endpoint?: string): string {
  const ep = endpoint ? ` --endpoint-url ${endpoint}` : "";
  return [
    `cat > lab-grader-trust.json <<'JSON'`,
    json(trustPolicy(s.graderPrincipal, s.externalId)),
    `JSON`,
    `cat > lab-grader-policy.json <<'JSON'`,
    json(s.policy),
    `JSON`,
    `aws iam create-role${ep} --role-name ${ROLE_NAME} --assume-role-policy-document file://lab-grader-trust.json`,
    `aws iam put-role-policy${ep} --role-name ${ROLE_NAME} --policy-name ${POLICY_NAME} --policy-document file://lab-grader-policy.json`,
    `aws iam get-role${ep} --role-name ${ROLE_NAME} --query Role.Arn --output text`,
  ].join("\n");
}

/** `aws configure` for the learner's sandbox keys, and a first call against the endpoint. */
export function sandboxConfigureCommands(o: { accessKeyId: string; secretPlaceholder: string; region: string; endpoint: string }): string {
  return [
    `aws configure set aws_access_key_id ${o.accessKeyId}`,
    `aws configure set aws_secret_access_key ${o.secretPlaceholder}`,
    `aws configure set region ${o.region}`,
    `export AWS_ENDPOINT_URL=${o.endpoint}`,
    `aws --endpoint-url ${o.endpoint} sts get-caller-identity`,
  ].join("\n");
}

// arn:<partition>:iam::<12 digits>:role/<optional path/><name>; IAM names are [\w+=,.@-]{1,64}.
const ROLE_ARN = /^arn:aws(?:-cn|-us-gov|-iso|-iso-b)?:iam::\d{12}:role\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/;

export function isRoleArn(value: string): boolean {
  return value.length <= 2048 && ROLE_ARN.test(value);
}

export function accountOfRoleArn(arn: string): string | undefined {
  return /^arn:[^:]+:iam::(\d{12}):/.exec(arn)?.[1];
}
