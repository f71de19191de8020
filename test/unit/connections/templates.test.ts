import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { loadLab } from "@/lib/content/lab";
import { graderPolicy, type PolicyDocument } from "@/lib/connections/grader-policy";
import { checkEndpoint } from "@/lib/connections/endpoint-check";
import { cliCommands, cloudFormationTemplate, createStackCommand, isRoleArn, quickCreateLink, terraformSnippet, trustPolicy, type RoleSetup } from "@/lib/connections/templates";

// js-yaml comes with gray-matter and has no types of its own here.
const yaml = createRequire(import.meta.url)("js-yaml") as { load(text: string): unknown };

let policy: PolicyDocument;
let setup: RoleSetup;
beforeAll(async () => {
  policy = graderPolicy((await loadLab("order-system")).steps);
  setup = { graderPrincipal: "arn:aws:iam::111122223333:root", externalId: "lab-grader-0123456789abcdef0123456789abcdef", policy, region: "eu-west-1" };
});

type Tpl = {
  Parameters: Record<string, unknown>;
  Resources: { LabGraderRole: { Type: string; Properties: { AssumeRolePolicyDocument: ReturnType<typeof trustPolicy>; Policies: { PolicyDocument: unknown }[] } } };
  Outputs: { RoleArn: { Value: unknown } };
};

describe("CloudFormation template", () => {
  it("parses as YAML, with the ExternalId condition and the generated policy", () => {
    const tpl = yaml.load(cloudFormationTemplate(policy)) as Tpl;
    const role = tpl.Resources.LabGraderRole;
    expect(role.Type).toBe("AWS::IAM::Role");
    const stmt = role.Properties.AssumeRolePolicyDocument.Statement[0];
    expect(stmt?.Action).toBe("sts:AssumeRole");
    expect(stmt?.Principal).toEqual({ AWS: { Ref: "GraderPrincipal" } });
    expect(stmt?.Condition).toEqual({ StringEquals: { "sts:ExternalId": { Ref: "ExternalId" } } });
    expect(role.Properties.Policies[0]?.PolicyDocument).toEqual(JSON.parse(JSON.stringify(policy)));
    expect(Object.keys(tpl.Parameters).sort()).toEqual(["ExternalId", "GraderPrincipal", "RoleName"]);
    expect(tpl.Outputs.RoleArn.Value).toEqual({ "Fn::GetAtt": ["LabGraderRole", "Arn"] });
  });

  it("fills the learner's values into the create-stack command", () => {
    const cmd = createStackCommand(setup);
    expect(cmd).toContain("aws cloudformation create-stack --stack-name lab-grader --region eu-west-1");
    expect(cmd).toContain(`ParameterKey=ExternalId,ParameterValue=${setup.externalId}`);
    expect(cmd).toContain("ParameterKey=GraderPrincipal,ParameterValue=arn:aws:iam::111122223333:root");
    expect(cmd).toContain("CAPABILITY_NAMED_IAM");
  });

  it("offers the console quick-create link only when the template is hosted", () => {
    expect(quickCreateLink(setup, undefined)).toBeUndefined();
    const link = quickCreateLink(setup, "https://bucket.s3.amazonaws.com/templates/");
    expect(link).toMatch(/^https:\/\/console\.aws\.amazon\.com\/cloudformation\/home\?region=eu-west-1#\/stacks\/quickcreate\?/);
    const q = new URLSearchParams(link?.split("?")[2]);
    expect(q.get("templateURL")).toBe("https://bucket.s3.amazonaws.com/templates/lab-grader-role.yaml");
    expect(q.get("param_ExternalId")).toBe(setup.externalId);
  });

  it("gives Terraform and CLI forms with the same trust policy", () => {
    const trust = JSON.stringify(trustPolicy(setup.graderPrincipal, setup.externalId), null, 2);
    expect(terraformSnippet(setup)).toContain(`"sts:ExternalId": "${setup.externalId}"`);
    expect(terraformSnippet(setup)).toContain('resource "aws_iam_role" "lab_grader"');
    const cli = cliCommands(setup);
    expect(cli).toContain(trust);
    expect(cli).toContain("aws iam create-role --role-name LabGraderRole");
    expect(cliCommands(setup, "http://localhost:4566")).toContain("aws iam create-role --endpoint-url http://localhost:4566 --role-name LabGraderRole");
  });
});

describe("role ARN validation", () => {
  it.each([
    "arn:aws:iam::123456789012:role/LabGraderRole",
    "arn:aws:iam::123456789012:role/path/to/LabGraderRole",
    "arn:aws-cn:iam::123456789012:role/Lab+Grader=Role,x.y@z-1",
  ])("accepts %s", (arn) => expect(isRoleArn(arn)).toBe(true));

  it.each([
    "",
    "LabGraderRole",
    "arn:aws:iam::12345678901:role/LabGraderRole",
    "arn:aws:iam::123456789012:user/LabGraderRole",
    "arn:aws:sts::123456789012:assumed-role/LabGraderRole/x",
    "arn:aws:iam::123456789012:role/",
    "arn:aws:iam::123456789012:role/Lab Grader",
    `arn:aws:iam::123456789012:role/${"a".repeat(65)}`,
    "arn:aws:iam::123456789012:role/LabGraderRole\n",
  ])("refuses %j", (arn) => expect(isRoleArn(arn)).toBe(false));
});

describe("LocalStack endpoint policy", () => {
  const hosted = { policy: "hosted" as const, allowed: [] };
  const resolve = async (host: string) => (host === "localstack.internal.example" ? ["10.1.2.3"] : ["203.0.113.10"]);

  it("refuses loopback, metadata and private addresses when hosted", async () => {
    for (const url of ["http://127.0.0.1:4566", "http://[::1]:4566", "http://169.254.169.254/", "http://localstack.internal.example:4566"]) {
      const v = await checkEndpoint(url, hosted, resolve);
      expect(v.ok, url).toBe(false);
    }
    const v = await checkEndpoint("http://127.0.0.1:4566", hosted, resolve);
    expect(v.ok ? "" : v.reason).toMatch(/loopback/);
  });

  it("allows loopback locally, a listed address when hosted, and a public host", async () => {
    expect((await checkEndpoint("http://127.0.0.1:4566", { policy: "local", allowed: [] }, resolve)).ok).toBe(true);
    expect((await checkEndpoint("http://127.0.0.1:4566", { policy: "hosted", allowed: ["127.0.0.1"] }, resolve)).ok).toBe(true);
    expect((await checkEndpoint("https://localstack.example.com", hosted, resolve)).ok).toBe(true);
    expect((await checkEndpoint("file:///etc/passwd", { policy: "local", allowed: [] }, resolve)).ok).toBe(false);
  });
});
