// The output type of an operation as a handler returns it: the SDK's `…CommandOutput` without
// `$metadata`, in the JSON protocol's representation rather than the SDK's parsed one. The SDK
// turns a timestamp on the wire (epoch seconds) into a Date and a blob (base64 text, or the raw
// body of REST-JSON) into bytes; a handler returns them as they travel. The query-protocol
// services (IAM, STS, SNS) carry a timestamp as ISO text instead, so a Date may be either.

type Json<T> = T extends Date
  ? number | string
  : T extends Uint8Array
    ? Uint8Array | string
    : T extends readonly (infer U)[]
      ? Json<U>[]
      : T extends object
        ? { [K in keyof T]: Json<T[K]> }
        : T;

/** `WireOutput<GetFunctionCommandOutput>`: what GetFunction's handler returns. */
export type WireOutput<T> = Json<Omit<T, "$metadata">>;
