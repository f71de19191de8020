// The clients' own behaviour, with a FAKE HTTP handler standing in for the network (these
// tests are about retries, counting and tagging, not about any service): throttling is
// retried, 3 tries in all; each call is counted once; a failure carries the IAM action.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { CallCounter, createClients } from "@/checkers/clients";
import { classifyError } from "@/checkers/errors";

function xmlError(code: string) {
  return `<ErrorResponse><Error><Type>Sender</Type><Code>${code}</Code><Message>${code} for the test</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`;
}
const IDENTITY = `<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/u</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>r-2</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;

/** Answers each request with the next (status, body); counts requests. */
function fakeHandler(answers: [number, string][]) {
  let n = 0;
  return {
    get requests() {
      return n;
    },
    handler: {
      async handle() {
        const [statusCode, body] = answers[Math.min(n, answers.length - 1)] as [number, string];
        n++;
        return { response: { statusCode, headers: { "content-type": "text/xml" }, body: Readable.from([Buffer.from(body)]) } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  };
}

const base = { region: "us-east-1", endpoint: "http://127.0.0.1:9", credentials: { accessKeyId: "AKIATEST", secretAccessKey: "secret" } };

describe("createClients", () => {
  it("retries throttling with backoff, 3 tries in all, then fails throttled", async () => {
    const fake = fakeHandler([[400, xmlError("Throttling")]]);
    const calls = new CallCounter();
    const { sts } = createClients({ ...base, calls, requestHandler: fake.handler });
    const err = await sts.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
    expect(fake.requests).toBe(3);
    expect(classifyError(err)).toMatchObject({ kind: "throttled", action: "sts:GetCallerIdentity" });
    expect(calls.total).toBe(1);
  });

  it("succeeds when a retry does", async () => {
    const fake = fakeHandler([[400, xmlError("Throttling")], [200, IDENTITY]]);
    const { sts } = createClients({ ...base, requestHandler: fake.handler });
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe("123456789012");
    expect(fake.requests).toBe(2);
  });

  it("does not retry AccessDenied, and tags it with the action", async () => {
    const fake = fakeHandler([[403, xmlError("AccessDenied")]]);
    const { sts } = createClients({ ...base, requestHandler: fake.handler });
    const err = await sts.send(new GetCallerIdentityCommand({})).catch((e: unknown) => e);
    expect(fake.requests).toBe(1);
    expect(classifyError(err)).toMatchObject({ kind: "access-denied", action: "sts:GetCallerIdentity" });
  });

  it("counts calls by action", async () => {
    const fake = fakeHandler([[200, IDENTITY]]);
    const calls = new CallCounter();
    const { sts } = createClients({ ...base, calls, requestHandler: fake.handler });
    await sts.send(new GetCallerIdentityCommand({}));
    await sts.send(new GetCallerIdentityCommand({}));
    expect(calls.byAction.get("sts:GetCallerIdentity")).toBe(2);
  });
});
