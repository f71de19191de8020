// SQS's query protocol (what /usr/bin/aws 2.9 and older SDKs send): flat parameters such as
// `Attribute.1.Name`, `MessageAttribute.1.Value.StringValue` and
// `SendMessageBatchRequestEntry.1.Id` become the JSON input shape the handlers take, and
// outputs become the XML AWS returns — flattened lists (`<QueueUrl>` repeated, `<Message>`,
// `<SendMessageBatchResultEntry>`) and name/value pairs (`<Attribute><Name/><Value/></Attribute>`).
import type { QueryCodec } from "@/sandbox/core/contracts";
import type { QueryValue } from "@/sandbox/core/query-params";
import { nestParams } from "@/sandbox/core/query-params";
import { element, escapeXml } from "@/sandbox/core/xml";

type Obj = { [key: string]: QueryValue };

const INTEGER_MEMBERS = new Set(["MaxNumberOfMessages", "VisibilityTimeout", "WaitTimeSeconds", "DelaySeconds", "MaxResults", "MaxNumberOfMessagesPerSecond"]);

function isObj(v: QueryValue | undefined): v is Obj {
  return typeof v === "object" && !Array.isArray(v);
}

/** A flattened list: `X.1`, `X.2` (nestParams gives an array; a lone `X` arrives as a scalar or object). */
function list(v: QueryValue | undefined): QueryValue[] {
  if (v === undefined) return [];
  if (Array.isArray(v)) return v;
  return [v];
}

function strings(v: QueryValue | undefined): string[] {
  return list(v).filter((x): x is string => typeof x === "string");
}

/** `Attribute.N.Name/Value` (and `Tag.N.Key/Value`) into a map. */
function pairs(v: QueryValue | undefined, keyName: string, valueName: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list(v)) {
    if (!isObj(item)) continue;
    const k = item[keyName];
    const value = item[valueName];
    if (typeof k === "string") out[k] = typeof value === "string" ? value : "";
  }
  return out;
}

/** `MessageAttribute.N.Name` + `.Value.{StringValue,BinaryValue,DataType}` into the JSON map. */
function messageAttributes(v: QueryValue | undefined): Record<string, Record<string, string>> | undefined {
  const items = list(v);
  if (items.length === 0) return undefined;
  const out: Record<string, Record<string, string>> = {};
  for (const item of items) {
    if (!isObj(item) || typeof item.Name !== "string") continue;
    const value: Record<string, string> = {};
    if (isObj(item.Value)) for (const [k, x] of Object.entries(item.Value)) if (typeof x === "string") value[k] = x;
    out[item.Name] = value;
  }
  return out;
}

/** Scalars keep their names; integers become numbers (the JSON shape), the rest stays strings. */
function scalars(o: Obj, out: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(o)) {
    if (typeof v !== "string") continue;
    out[k] = INTEGER_MEMBERS.has(k) && /^-?\d+$/.test(v) ? Number(v) : v;
  }
}

function messageEntry(o: Obj): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  scalars(o, out);
  const attributes = messageAttributes(o.MessageAttribute);
  if (attributes) out.MessageAttributes = attributes;
  const system = messageAttributes(o.MessageSystemAttribute);
  if (system) out.MessageSystemAttributes = system;
  return out;
}

function entries(v: QueryValue | undefined, map: (o: Obj) => Record<string, unknown>): Record<string, unknown>[] {
  return list(v).filter(isObj).map(map);
}

export function decodeQuery(operation: string, params: Record<string, string>): Record<string, unknown> {
  const p = nestParams(params) as Obj;
  const out: Record<string, unknown> = {};
  scalars(p, out);
  switch (operation) {
    case "CreateQueue":
      if (p.Attribute !== undefined) out.Attributes = pairs(p.Attribute, "Name", "Value");
      if (p.Tag !== undefined) out.tags = pairs(p.Tag, "Key", "Value");
      break;
    case "SetQueueAttributes":
      out.Attributes = pairs(p.Attribute, "Name", "Value");
      break;
    case "GetQueueAttributes":
      out.AttributeNames = strings(p.AttributeName);
      break;
    case "ReceiveMessage":
      if (p.AttributeName !== undefined) out.AttributeNames = strings(p.AttributeName);
      if (p.MessageSystemAttributeName !== undefined) out.MessageSystemAttributeNames = strings(p.MessageSystemAttributeName);
      if (p.MessageAttributeName !== undefined) out.MessageAttributeNames = strings(p.MessageAttributeName);
      break;
    case "SendMessage":
      Object.assign(out, messageEntry(p));
      break;
    case "SendMessageBatch":
      out.Entries = entries(p.SendMessageBatchRequestEntry, messageEntry);
      break;
    case "DeleteMessageBatch":
      out.Entries = entries(p.DeleteMessageBatchRequestEntry, (o) => {
        const e: Record<string, unknown> = {};
        scalars(o, e);
        return e;
      });
      break;
    case "ChangeMessageVisibilityBatch":
      out.Entries = entries(p.ChangeMessageVisibilityBatchRequestEntry, (o) => {
        const e: Record<string, unknown> = {};
        scalars(o, e);
        return e;
      });
      break;
    case "TagQueue":
      out.Tags = pairs(p.Tag, "Key", "Value");
      break;
    case "UntagQueue":
      out.TagKeys = strings(p.TagKey);
      break;
    case "AddPermission":
      out.AWSAccountIds = strings(p.AWSAccountId);
      out.Actions = strings(p.ActionName);
      break;
  }
  return out;
}

// ---- encoding -----------------------------------------------------------------------------------

type Rec = Record<string, unknown>;

function opt(name: string, v: unknown): string {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? element(name, v) : "";
}

function nameValues(tag: string, keyName: string, valueName: string, map: unknown): string {
  if (typeof map !== "object" || map === null) return "";
  let out = "";
  for (const [k, v] of Object.entries(map as Rec)) out += `<${tag}>${element(keyName, k)}${element(valueName, String(v))}</${tag}>`;
  return out;
}

function messageAttributeXml(map: unknown): string {
  if (typeof map !== "object" || map === null) return "";
  let out = "";
  for (const [name, raw] of Object.entries(map as Rec)) {
    const v = raw as Rec;
    out +=
      `<MessageAttribute>${element("Name", name)}<Value>` +
      opt("StringValue", v.StringValue) +
      opt("BinaryValue", v.BinaryValue) +
      opt("DataType", v.DataType) +
      `</Value></MessageAttribute>`;
  }
  return out;
}

function messageXml(m: Rec): string {
  return (
    "<Message>" +
    opt("MessageId", m.MessageId) +
    opt("ReceiptHandle", m.ReceiptHandle) +
    opt("MD5OfBody", m.MD5OfBody) +
    `<Body>${escapeXml(String(m.Body ?? ""))}</Body>` +
    nameValues("Attribute", "Name", "Value", m.Attributes) +
    opt("MD5OfMessageAttributes", m.MD5OfMessageAttributes) +
    messageAttributeXml(m.MessageAttributes) +
    "</Message>"
  );
}

function sendResultXml(r: Rec): string {
  return (
    opt("Id", r.Id) +
    opt("MessageId", r.MessageId) +
    opt("MD5OfMessageBody", r.MD5OfMessageBody) +
    opt("MD5OfMessageAttributes", r.MD5OfMessageAttributes) +
    opt("MD5OfMessageSystemAttributes", r.MD5OfMessageSystemAttributes) +
    opt("SequenceNumber", r.SequenceNumber)
  );
}

function batchXml(output: Rec, successTag: string, success: (r: Rec) => string): string {
  let out = "";
  for (const r of (output.Successful as Rec[] | undefined) ?? []) out += `<${successTag}>${success(r)}</${successTag}>`;
  for (const f of (output.Failed as Rec[] | undefined) ?? []) {
    out += `<BatchResultErrorEntry>${opt("Id", f.Id)}${opt("SenderFault", f.SenderFault)}${opt("Code", f.Code)}${opt("Message", f.Message)}</BatchResultErrorEntry>`;
  }
  return out;
}

function urls(list: unknown): string {
  return Array.isArray(list) ? list.map((u) => element("QueueUrl", String(u))).join("") : "";
}

export function encodeQueryResult(operation: string, output: Rec): string | null {
  switch (operation) {
    case "CreateQueue":
    case "GetQueueUrl":
      return opt("QueueUrl", output.QueueUrl);
    case "ListQueues":
      return urls(output.QueueUrls) + opt("NextToken", output.NextToken);
    case "ListDeadLetterSourceQueues":
      return urls(output.queueUrls) + opt("NextToken", output.NextToken);
    case "GetQueueAttributes":
      return nameValues("Attribute", "Name", "Value", output.Attributes);
    case "ListQueueTags":
      return nameValues("Tag", "Key", "Value", output.Tags);
    case "SendMessage":
      return sendResultXml(output);
    case "SendMessageBatch":
      return batchXml(output, "SendMessageBatchResultEntry", sendResultXml);
    case "ReceiveMessage":
      return ((output.Messages as Rec[] | undefined) ?? []).map(messageXml).join("");
    case "StartMessageMoveTask":
      return opt("TaskHandle", output.TaskHandle);
    case "CancelMessageMoveTask":
      return opt("ApproximateNumberOfMessagesMoved", output.ApproximateNumberOfMessagesMoved);
    case "ListMessageMoveTasks":
      return ((output.Results as Rec[] | undefined) ?? [])
        .map(
          (r) =>
            "<Result>" +
            ["TaskHandle", "Status", "SourceArn", "DestinationArn", "MaxNumberOfMessagesPerSecond", "ApproximateNumberOfMessagesMoved", "ApproximateNumberOfMessagesToMove", "FailureReason", "StartedTimestamp"]
              .map((k) => opt(k, r[k]))
              .join("") +
            "</Result>",
        )
        .join("");
    case "DeleteMessageBatch":
      return batchXml(output, "DeleteMessageBatchResultEntry", (r) => opt("Id", r.Id));
    case "ChangeMessageVisibilityBatch":
      return batchXml(output, "ChangeMessageVisibilityBatchResultEntry", (r) => opt("Id", r.Id));
    default:
      return null; // DeleteQueue, SetQueueAttributes, PurgeQueue, DeleteMessage, …: no result element
  }
}

export const sqsQueryCodec: QueryCodec = {
  xmlns: "http://queue.amazonaws.com/doc/2012-11-05/",
  decode: decodeQuery,
  encodeResult: encodeQueryResult,
};
