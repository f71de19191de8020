// Reads a small JSON request body without ever buffering more than the limit: a client that
// declares or sends more is answered 413 before the rest is read.
import { ApiProblem } from "./problem";

export const MAX_BODY_BYTES = 16 * 1024;

function tooLarge(max: number): ApiProblem {
  return new ApiProblem(413, "body-too-large", `The request body is larger than ${Math.round(max / 1024)} KB, the most this API accepts.`);
}

async function readLimited(request: Request, max: number): Promise<string> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** The parsed JSON body, or undefined when there is none (an empty body is allowed). */
export async function readJsonBody(request: Request, max = MAX_BODY_BYTES): Promise<unknown> {
  const text = await readLimited(request, max);
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiProblem(400, "invalid-json", "The request body is not valid JSON. Send a JSON object such as {\"probe\": false}, or no body at all.");
  }
}
