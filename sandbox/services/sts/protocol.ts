// STS speaks only the query protocol (the SDK v3 and both CLIs send form-encoded Action=…).
import type { QueryCodec } from "@/sandbox/core/contracts";
import { nestParams } from "@/sandbox/core/query-params";
import { toXml } from "@/sandbox/core/xml";

export const stsQueryCodec: QueryCodec = {
  xmlns: "https://sts.amazonaws.com/doc/2011-06-15/",
  decode: (_operation, params) => nestParams(params),
  encodeResult(_operation, output) {
    const xml = toXml(output);
    return xml === "" ? null : xml;
  },
};
