// A query request's parameters come from its query string and its body together; a parameter
// both give with different values — above all Action — is refused rather than read one way here
// and another way there.
import { describe, expect, it } from "vitest";
import { queryParams } from "@/sandbox/core/parse-request";
import type { WireRequest } from "@/sandbox/core/wire";

const req = (rawQuery: string, body: string): WireRequest => ({ method: "POST", rawPath: "/", rawQuery, headers: {}, body: Buffer.from(body), requestId: "r" });

describe("queryParams", () => {
  it("merges the query string and the body", () => {
    expect({ ...queryParams(req("Action=Publish", "TopicArn=t&Message=m")) }).toEqual({ Action: "Publish", TopicArn: "t", Message: "m" });
    expect({ ...queryParams(req("", "Action=ListTopics")) }).toEqual({ Action: "ListTopics" });
    expect({ ...queryParams(req("Action=ListTopics", "")) }).toEqual({ Action: "ListTopics" });
    expect({ ...queryParams(req("Action=ListTopics", "Action=ListTopics")) }).toEqual({ Action: "ListTopics" });
  });

  it("refuses two different actions, and any other parameter given twice differently", () => {
    expect(() => queryParams(req("Action=Unsubscribe&SubscriptionArn=x", "Action=Publish&Message=m"))).toThrow(
      expect.objectContaining({ code: "InvalidAction", status: 400, message: expect.stringContaining('"Unsubscribe" in the query string and "Publish" in the body') }),
    );
    expect(() => queryParams(req("TopicArn=a", "Action=Publish&TopicArn=b"))).toThrow(expect.objectContaining({ code: "InvalidParameterValue" }));
  });
});
