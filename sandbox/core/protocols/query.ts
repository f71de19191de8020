// The query protocol: form-encoded `Action=Op&Version=...&Param=...` in, XML out:
// <OpResponse xmlns><OpResult>…</OpResult><ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>.
import type { AwsError, QueryCodec } from "../contracts";
import { escapeXml } from "../xml";
import type { WireResponse } from "../wire";

const XML_TYPE = "text/xml";

export function encodeQueryOutput(codec: QueryCodec, operation: string, output: Record<string, unknown>, requestId: string): WireResponse {
  const inner = codec.encodeResult(operation, output);
  const result = inner === null ? "" : `<${operation}Result>${inner}</${operation}Result>`;
  return {
    status: 200,
    headers: { "content-type": XML_TYPE, "x-amzn-requestid": requestId },
    body: `<?xml version="1.0"?><${operation}Response xmlns="${codec.xmlns}">${result}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${operation}Response>`,
  };
}

export function encodeQueryError(xmlns: string | undefined, err: AwsError, requestId: string): WireResponse {
  const ns = xmlns ? ` xmlns="${xmlns}"` : "";
  return {
    status: err.status,
    headers: { "content-type": XML_TYPE, "x-amzn-requestid": requestId },
    body:
      `<?xml version="1.0"?><ErrorResponse${ns}><Error><Type>${err.senderFault ? "Sender" : "Receiver"}</Type>` +
      `<Code>${escapeXml(err.queryCode ?? err.code)}</Code><Message>${escapeXml(err.message)}</Message></Error>` +
      `<RequestId>${requestId}</RequestId></ErrorResponse>`,
  };
}
