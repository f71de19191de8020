// Signing a request by hand with Smithy's SignatureV4, for requests the SDK will not make itself
// (a region it refuses, a header it would not send): Node's crypto behind Smithy's hash interface.
import { createHash, createHmac } from "node:crypto";
import type { Hash, Hmac } from "node:crypto";
import { SignatureV4 } from "@smithy/signature-v4";

type Data = string | ArrayBuffer | ArrayBufferView;

function asNodeInput(data: Data): string | Buffer {
  if (typeof data === "string") return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 (or HMAC-SHA-256 with a secret) as Smithy's signer asks for it. */
export class Sha256 {
  private readonly h: Hash | Hmac;
  constructor(secret?: Data) {
    this.h = secret === undefined ? createHash("sha256") : createHmac("sha256", asNodeInput(secret));
  }
  update(data: Data): void {
    this.h.update(asNodeInput(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.h.digest());
  }
}

export function handSigner(credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }, region: string, service: string): SignatureV4 {
  return new SignatureV4({ credentials, region, service, sha256: Sha256 });
}
