import { describe, expect, it } from "vitest";
import { md5Hex, md5OfAttributes } from "@/sandbox/services/sqs/md5";

// Checksums published with AWS SDK and emulator tests, computed by real SQS.
describe("SQS checksums", () => {
  it("hashes the body's UTF-8 bytes", () => {
    expect(md5Hex("")).toBe("d41d8cd98f00b204e9800998ecf8427e");
    expect(md5Hex("hello")).toBe("5d41402abc4b2a76b9719d911017c592");
  });

  it("matches AWS for a Number attribute", () => {
    expect(md5OfAttributes({ timestamp: { DataType: "Number", StringValue: "1493147359900" } })).toBe("235c5c510d26fb653d073faed50ae77c");
  });

  it("matches AWS for several attributes, sorted by name", () => {
    const attributes = {
      ordinal: { DataType: "Number", StringValue: "1" },
      category: { DataType: "String", StringValue: "test" },
    };
    expect(md5OfAttributes(attributes)).toBe("d21ae90c49061e927f57df5f5d72be1f");
  });

  it("encodes binary values with transport type 2 over the decoded bytes", () => {
    const asString = md5OfAttributes({ b: { DataType: "Binary", BinaryValue: Buffer.from("abc").toString("base64") } });
    const asText = md5OfAttributes({ b: { DataType: "String", StringValue: "abc" } });
    expect(asString).toMatch(/^[0-9a-f]{32}$/);
    expect(asString).not.toBe(asText);
  });
});
