// The query codec: flat parameters in, AWS's XML shapes out.
import { describe, expect, it } from "vitest";
import { snsQueryCodec } from "@/sandbox/services/sns/protocol";

describe("SNS query codec", () => {
  it("decodes maps, message attributes, batch entries, tags and booleans", () => {
    expect(
      snsQueryCodec.decode("Subscribe", {
        Action: "Subscribe",
        Version: "2010-03-31",
        TopicArn: "arn:aws:sns:us-east-1:000000000000:t",
        Protocol: "sqs",
        "Attributes.entry.1.key": "FilterPolicy",
        "Attributes.entry.1.value": '{"a":["b"]}',
        "Attributes.entry.2.key": "RawMessageDelivery",
        "Attributes.entry.2.value": "true",
        ReturnSubscriptionArn: "true",
      }),
    ).toEqual({
      TopicArn: "arn:aws:sns:us-east-1:000000000000:t",
      Protocol: "sqs",
      Attributes: { FilterPolicy: '{"a":["b"]}', RawMessageDelivery: "true" },
      ReturnSubscriptionArn: true,
    });
    expect(
      snsQueryCodec.decode("Publish", {
        Message: "m",
        "MessageAttributes.entry.1.Name": "order_value",
        "MessageAttributes.entry.1.Value.DataType": "Number",
        "MessageAttributes.entry.1.Value.StringValue": "1500",
        "MessageAttributes.entry.2.Name": "bin",
        "MessageAttributes.entry.2.Value.DataType": "Binary",
        "MessageAttributes.entry.2.Value.BinaryValue": "AQID",
      }),
    ).toEqual({
      Message: "m",
      MessageAttributes: { order_value: { DataType: "Number", StringValue: "1500" }, bin: { DataType: "Binary", BinaryValue: "AQID" } },
    });
    expect(
      snsQueryCodec.decode("PublishBatch", {
        TopicArn: "t",
        "PublishBatchRequestEntries.member.1.Id": "a",
        "PublishBatchRequestEntries.member.1.Message": "x",
        "PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name": "k",
        "PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType": "String",
        "PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue": "v",
        "PublishBatchRequestEntries.member.2.Id": "b",
        "PublishBatchRequestEntries.member.2.Message": "y",
      }),
    ).toEqual({
      TopicArn: "t",
      PublishBatchRequestEntries: [
        { Id: "a", Message: "x", MessageAttributes: { k: { DataType: "String", StringValue: "v" } } },
        { Id: "b", Message: "y" },
      ],
    });
    expect(
      snsQueryCodec.decode("TagResource", { ResourceArn: "r", "Tags.member.1.Key": "k", "Tags.member.1.Value": "v", "TagKeys.member.1": "z" }),
    ).toEqual({ ResourceArn: "r", Tags: [{ Key: "k", Value: "v" }], TagKeys: ["z"] });
  });

  it("encodes results as AWS does", () => {
    expect(snsQueryCodec.xmlns).toBe("http://sns.amazonaws.com/doc/2010-03-31/");
    expect(snsQueryCodec.encodeResult("CreateTopic", { TopicArn: "arn:a" })).toBe("<TopicArn>arn:a</TopicArn>");
    expect(snsQueryCodec.encodeResult("ListTopics", { Topics: [{ TopicArn: "a" }, { TopicArn: "b" }], NextToken: "n" })).toBe(
      "<Topics><member><TopicArn>a</TopicArn></member><member><TopicArn>b</TopicArn></member></Topics><NextToken>n</NextToken>",
    );
    expect(snsQueryCodec.encodeResult("GetTopicAttributes", { Attributes: { Policy: '{"a":"<b>"}', Owner: "1" } })).toBe(
      "<Attributes><entry><key>Policy</key><value>{&quot;a&quot;:&quot;&lt;b&gt;&quot;}</value></entry><entry><key>Owner</key><value>1</value></entry></Attributes>",
    );
    expect(
      snsQueryCodec.encodeResult("ListSubscriptionsByTopic", {
        Subscriptions: [{ SubscriptionArn: "s", Owner: "o", Protocol: "sqs", Endpoint: "e", TopicArn: "t" }],
      }),
    ).toBe(
      "<Subscriptions><member><SubscriptionArn>s</SubscriptionArn><Owner>o</Owner><Protocol>sqs</Protocol><Endpoint>e</Endpoint><TopicArn>t</TopicArn></member></Subscriptions>",
    );
    expect(snsQueryCodec.encodeResult("Publish", { MessageId: "m", SequenceNumber: "1" })).toBe("<MessageId>m</MessageId><SequenceNumber>1</SequenceNumber>");
    expect(
      snsQueryCodec.encodeResult("PublishBatch", { Successful: [{ Id: "a", MessageId: "m" }], Failed: [{ Id: "b", Code: "InvalidParameter", Message: "x", SenderFault: true }] }),
    ).toBe(
      "<Successful><member><Id>a</Id><MessageId>m</MessageId></member></Successful><Failed><member><Id>b</Id><Code>InvalidParameter</Code><Message>x</Message><SenderFault>true</SenderFault></member></Failed>",
    );
    expect(snsQueryCodec.encodeResult("DeleteTopic", {})).toBeNull();
    expect(snsQueryCodec.encodeResult("SetSubscriptionAttributes", {})).toBeNull();
    expect(snsQueryCodec.encodeResult("TagResource", {})).toBe("");
  });
});
