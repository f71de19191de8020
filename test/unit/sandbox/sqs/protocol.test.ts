import { describe, expect, it } from "vitest";
import { decodeQuery, encodeQueryResult } from "@/sandbox/services/sqs/protocol";

describe("SQS query protocol", () => {
  it("decodes attributes, tags and attribute names", () => {
    expect(
      decodeQuery("CreateQueue", {
        Action: "CreateQueue",
        QueueName: "q",
        "Attribute.1.Name": "VisibilityTimeout",
        "Attribute.1.Value": "60",
        "Attribute.2.Name": "RedrivePolicy",
        "Attribute.2.Value": '{"maxReceiveCount":"3"}',
        "Tag.1.Key": "team",
        "Tag.1.Value": "a",
      }),
    ).toEqual({ QueueName: "q", Attributes: { VisibilityTimeout: "60", RedrivePolicy: '{"maxReceiveCount":"3"}' }, tags: { team: "a" } });
    expect(decodeQuery("GetQueueAttributes", { QueueUrl: "u", "AttributeName.1": "All" })).toEqual({ QueueUrl: "u", AttributeNames: ["All"] });
  });

  it("decodes messages with attributes and numbers, single and batched", () => {
    expect(
      decodeQuery("SendMessage", {
        QueueUrl: "u",
        MessageBody: "b",
        DelaySeconds: "5",
        "MessageAttribute.1.Name": "n",
        "MessageAttribute.1.Value.StringValue": "1",
        "MessageAttribute.1.Value.DataType": "Number",
      }),
    ).toEqual({ QueueUrl: "u", MessageBody: "b", DelaySeconds: 5, MessageAttributes: { n: { StringValue: "1", DataType: "Number" } } });
    expect(
      decodeQuery("SendMessageBatch", {
        QueueUrl: "u",
        "SendMessageBatchRequestEntry.1.Id": "a",
        "SendMessageBatchRequestEntry.1.MessageBody": "x",
        "SendMessageBatchRequestEntry.2.Id": "b",
        "SendMessageBatchRequestEntry.2.MessageBody": "y",
        "SendMessageBatchRequestEntry.2.MessageAttribute.1.Name": "k",
        "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.BinaryValue": "AAE=",
        "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType": "Binary",
      }),
    ).toEqual({
      QueueUrl: "u",
      Entries: [
        { Id: "a", MessageBody: "x" },
        { Id: "b", MessageBody: "y", MessageAttributes: { k: { BinaryValue: "AAE=", DataType: "Binary" } } },
      ],
    });
    expect(
      decodeQuery("ReceiveMessage", { QueueUrl: "u", MaxNumberOfMessages: "10", WaitTimeSeconds: "20", "AttributeName.1": "All", "MessageAttributeName.1": "All" }),
    ).toEqual({ QueueUrl: "u", MaxNumberOfMessages: 10, WaitTimeSeconds: 20, AttributeNames: ["All"], MessageAttributeNames: ["All"] });
    expect(
      decodeQuery("ChangeMessageVisibilityBatch", {
        QueueUrl: "u",
        "ChangeMessageVisibilityBatchRequestEntry.1.Id": "a",
        "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle": "h",
        "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout": "30",
      }),
    ).toEqual({ QueueUrl: "u", Entries: [{ Id: "a", ReceiptHandle: "h", VisibilityTimeout: 30 }] });
  });

  it("decodes tags, permissions and move tasks", () => {
    expect(decodeQuery("TagQueue", { QueueUrl: "u", "Tag.1.Key": "a", "Tag.1.Value": "1" })).toEqual({ QueueUrl: "u", Tags: { a: "1" } });
    expect(decodeQuery("UntagQueue", { QueueUrl: "u", "TagKey.1": "a", "TagKey.2": "b" })).toEqual({ QueueUrl: "u", TagKeys: ["a", "b"] });
    expect(decodeQuery("AddPermission", { QueueUrl: "u", Label: "l", "AWSAccountId.1": "111111111111", "ActionName.1": "SendMessage" })).toEqual({
      QueueUrl: "u",
      Label: "l",
      AWSAccountIds: ["111111111111"],
      Actions: ["SendMessage"],
    });
    expect(decodeQuery("StartMessageMoveTask", { SourceArn: "arn", MaxNumberOfMessagesPerSecond: "50" })).toEqual({ SourceArn: "arn", MaxNumberOfMessagesPerSecond: 50 });
  });

  it("encodes the XML AWS returns", () => {
    expect(encodeQueryResult("GetQueueAttributes", { Attributes: { VisibilityTimeout: "30" } })).toBe(
      "<Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>",
    );
    expect(encodeQueryResult("ListQueues", { QueueUrls: ["a", "b"] })).toBe("<QueueUrl>a</QueueUrl><QueueUrl>b</QueueUrl>");
    const xml = encodeQueryResult("ReceiveMessage", {
      Messages: [
        {
          MessageId: "id",
          ReceiptHandle: "rh",
          MD5OfBody: "m",
          Body: "a<b>&\r\n",
          Attributes: { SenderId: "1" },
          MD5OfMessageAttributes: "ma",
          MessageAttributes: { n: { DataType: "Number", StringValue: "1" } },
        },
      ],
    });
    expect(xml).toBe(
      "<Message><MessageId>id</MessageId><ReceiptHandle>rh</ReceiptHandle><MD5OfBody>m</MD5OfBody><Body>a&lt;b&gt;&amp;&#xD;\n</Body>" +
        "<Attribute><Name>SenderId</Name><Value>1</Value></Attribute><MD5OfMessageAttributes>ma</MD5OfMessageAttributes>" +
        "<MessageAttribute><Name>n</Name><Value><StringValue>1</StringValue><DataType>Number</DataType></Value></MessageAttribute></Message>",
    );
    expect(encodeQueryResult("SendMessageBatch", { Successful: [{ Id: "a", MessageId: "m", MD5OfMessageBody: "x" }], Failed: [{ Id: "b", SenderFault: true, Code: "C", Message: "M" }] })).toBe(
      "<SendMessageBatchResultEntry><Id>a</Id><MessageId>m</MessageId><MD5OfMessageBody>x</MD5OfMessageBody></SendMessageBatchResultEntry>" +
        "<BatchResultErrorEntry><Id>b</Id><SenderFault>true</SenderFault><Code>C</Code><Message>M</Message></BatchResultErrorEntry>",
    );
    expect(encodeQueryResult("DeleteQueue", {})).toBeNull();
  });
});
