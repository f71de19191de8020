// Queue URLs name the queue every SQS call acts on; the parse of the last URL is reused, so a
// URL whose meaning depends on the caller's account must still follow the caller.
import { describe, expect, it } from "vitest";
import type { RequestContext } from "@/sandbox/core/contracts";
import { parseQueueUrl } from "@/sandbox/services/sqs/access";

function ctx(accountId: string): RequestContext {
  return { accountId, region: "us-east-1", principal: { kind: "account", accountId, arn: `arn:aws:iam::${accountId}:root` }, requestId: "r", now: 0 };
}

describe("parseQueueUrl", () => {
  it("answers repeated URLs alike and follows the caller's account when the URL names none", () => {
    const url = "http://127.0.0.1:4566/111111111111/jobs";
    expect(parseQueueUrl(url, ctx("222222222222"))).toEqual({ accountId: "111111111111", name: "jobs" });
    const again = parseQueueUrl(url, ctx("333333333333"));
    expect(again).toEqual({ accountId: "111111111111", name: "jobs" });
    again.name = "changed"; // a caller's copy, not the remembered answer
    expect(parseQueueUrl(url, ctx("222222222222"))).toEqual({ accountId: "111111111111", name: "jobs" });

    expect(parseQueueUrl("http://127.0.0.1:4566/jobs", ctx("222222222222"))).toEqual({ accountId: "222222222222", name: "jobs" });
    expect(parseQueueUrl("http://127.0.0.1:4566/jobs", ctx("333333333333"))).toEqual({ accountId: "333333333333", name: "jobs" });
    expect(parseQueueUrl("http://127.0.0.1:4566/111111111111/other?x=1", ctx("222222222222"))).toEqual({ accountId: "111111111111", name: "other" });
    expect(() => parseQueueUrl("http://127.0.0.1:4566/a/b/c", ctx("222222222222"))).toThrow();
  });
});
