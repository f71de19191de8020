// IAM speaks only the query protocol: nested parameters in, the default member-list XML out.
import type { QueryCodec } from "@/sandbox/core/contracts";
import { nestParams } from "@/sandbox/core/query-params";
import { toXml } from "@/sandbox/core/xml";

export const iamQueryCodec: QueryCodec = {
  xmlns: "https://iam.amazonaws.com/doc/2010-05-08/",
  decode: (_operation, params) => nestParams(params),
  encodeResult(_operation, output) {
    const xml = toXml(output);
    return xml === "" ? null : xml;
  },
};
