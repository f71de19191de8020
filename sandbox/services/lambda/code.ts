// A function's code: the zip a request uploads (inline only: no S3, no container images), unzipped
// into the function's folder with Lambda's size limits and no entry outside that folder.
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { unzipSync } from "fflate";
import type { OperationInput } from "@/sandbox/core/operation-table";
import { InvalidParameterValueException, RequestTooLargeException } from "./errors";
import { codeDir, lambdaRoot } from "./paths";

const MAX_ZIP_BYTES = 50 * 1024 * 1024;
const MAX_UNZIPPED_BYTES = 262_144_000;

function bytesOf(value: unknown): Uint8Array | undefined {
  if (value instanceof Uint8Array) return value;
  if (typeof value === "string") return Buffer.from(value, "base64");
  if (Array.isArray(value)) return Uint8Array.from(value as number[]);
  return undefined;
}

/** The zip a request carries: CreateFunction's `Code.ZipFile`, UpdateFunctionCode's `ZipFile`. */
export function uploadedZip(input: OperationInput, where: "Code" | "top"): Uint8Array {
  const code = where === "Code" ? input.Code : input;
  if (!code || typeof code !== "object") throw InvalidParameterValueException("Please provide a source for function code.");
  const source = code as OperationInput;
  if (source.S3Bucket !== undefined || source.S3Key !== undefined) {
    throw InvalidParameterValueException("Code from S3 is not supported by this sandbox: upload the zip itself (--zip-file fileb://function.zip).");
  }
  if (source.ImageUri !== undefined) throw InvalidParameterValueException("Container images are not supported by this sandbox: use a zip package.");
  const zip = bytesOf(source.ZipFile);
  if (!zip || zip.byteLength === 0) throw InvalidParameterValueException("Please provide a source for function code.");
  return zip;
}

function unzip(zip: Uint8Array): Record<string, Uint8Array> {
  let total = 0;
  try {
    return unzipSync(zip, {
      filter: (f) => {
        total += f.originalSize;
        if (total > MAX_UNZIPPED_BYTES) throw new RangeError("too large");
        return true;
      },
    });
  } catch (err) {
    if (err instanceof RangeError) throw InvalidParameterValueException(`Unzipped size must be smaller than ${MAX_UNZIPPED_BYTES} bytes`);
    throw InvalidParameterValueException("Could not unzip uploaded file. Please check your file, then try to upload again.");
  }
}

/** Unzips the code into the function's folder, replacing what was there. */
export function installCode(dataDir: string, accountId: string, region: string, name: string, zip: Uint8Array): { sha256: string; size: number } {
  if (zip.byteLength > MAX_ZIP_BYTES) throw RequestTooLargeException(`Request must be smaller than ${MAX_ZIP_BYTES} bytes for the CreateFunction operation`);
  const files = unzip(zip);
  // Node treats .js as ESM under the nearest package.json with "type": "module" (the
  // project's own); Lambda treats it as CommonJS unless the function says otherwise.
  const root = lambdaRoot(dataDir);
  mkdirSync(root, { recursive: true });
  const marker = path.join(root, "package.json");
  if (!existsSync(marker)) writeFileSync(marker, JSON.stringify({ type: "commonjs" }));
  const target = codeDir(dataDir, accountId, region, name);
  const staging = `${target}.staging-${randomUUID()}`;
  mkdirSync(staging, { recursive: true });
  try {
    for (const [entry, data] of Object.entries(files)) {
      const normalized = path.posix.normalize(entry.replace(/\\/g, "/"));
      if (normalized === "." || normalized === "./") continue; // the root folder itself
      const dest = path.resolve(staging, normalized);
      // A zip entry must not write outside the function's folder (zip slip).
      if (normalized.startsWith("/") || normalized === ".." || normalized.startsWith("../") || !dest.startsWith(staging + path.sep)) {
        throw InvalidParameterValueException(`The zip file has an entry outside its root: ${entry}`);
      }
      if (entry.endsWith("/")) {
        mkdirSync(dest, { recursive: true });
        continue;
      }
      mkdirSync(path.dirname(dest), { recursive: true });
      writeFileSync(dest, data);
    }
    rmSync(target, { recursive: true, force: true });
    renameSync(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  return { sha256: createHash("sha256").update(zip).digest("base64"), size: zip.byteLength };
}
