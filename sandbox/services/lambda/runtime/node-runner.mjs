// Runs one Lambda invocation of a Node.js handler in this (child) process.
// argv: HANDLER REQUEST_ID TIMEOUT_MS [FORWARD_HOST FORWARD_PORT FORWARD_SOCKET]. The event
// arrives on stdin; the outcome is written as JSON to file descriptor 3 ({ ok: true, result } or
// { ok: false, errorType, errorMessage, trace }), because stdout and stderr belong to the
// handler's own logging. In the jail, the FORWARD_* arguments open the way to the sandbox
// (forwarder.mjs) before the handler loads.
import { Buffer } from "node:buffer";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startForwarder } from "./forwarder.mjs";

const RESULT_FD = 3;
const [handlerSpec = "", requestId = "", timeoutText = "0", forwardHost, forwardPort, forwardSocket] = process.argv.slice(2);
const deadline = Date.now() + Number(timeoutText);
let finished = false;

function finish(outcome, code) {
  if (finished) return;
  finished = true;
  let text;
  try {
    text = JSON.stringify(outcome);
  } catch (err) {
    text = JSON.stringify({ ok: false, errorType: "Runtime.MarshalError", errorMessage: `Unable to stringify response body: ${err?.message ?? err}`, trace: [] });
  }
  writeAll(RESULT_FD, Buffer.from(text, "utf8"));
  // Lambda freezes the sandbox once the handler answers; exiting keeps stray timers from
  // holding the invocation open.
  process.exit(code);
}

/** The pipe may be non-blocking and full for a moment while the sandbox reads it. */
function writeAll(fd, bytes) {
  let offset = 0;
  while (offset < bytes.length) {
    try {
      offset += fs.writeSync(fd, bytes, offset);
    } catch (err) {
      if (err?.code !== "EAGAIN") return; // the sandbox stopped reading: nothing left to tell it
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

function failure(err, fallbackType = "Error") {
  if (err instanceof Error) {
    return { ok: false, errorType: err.name || fallbackType, errorMessage: err.message, trace: String(err.stack ?? "").split("\n") };
  }
  return { ok: false, errorType: fallbackType, errorMessage: typeof err === "string" ? err : JSON.stringify(err) ?? String(err), trace: [] };
}

process.on("uncaughtException", (err) => finish(failure(err, "Runtime.UncaughtException"), 1));
process.on("unhandledRejection", (err) => finish(failure(err, "Runtime.UnhandledPromiseRejection"), 1));

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function main() {
  if (forwardSocket) await startForwarder(forwardHost, Number(forwardPort), forwardSocket);
  const text = await readStdin();
  const event = text.trim() === "" ? null : JSON.parse(text);
  const dot = handlerSpec.lastIndexOf(".");
  const moduleName = dot > 0 ? handlerSpec.slice(0, dot) : handlerSpec;
  const functionName = dot > 0 ? handlerSpec.slice(dot + 1) : "handler";
  const root = process.cwd();
  // The handler names a module inside the function's own folder: "../other/index" or an absolute
  // path would load another function's (or another account's) code.
  const inside = (f) => f.startsWith(root + path.sep);
  const file = [".mjs", ".js", ".cjs"].map((ext) => path.resolve(root, moduleName + ext)).find((f) => inside(f) && fs.existsSync(f));
  if (!file) {
    finish({ ok: false, errorType: "Runtime.ImportModuleError", errorMessage: `Error: Cannot find module '${moduleName}'`, trace: [] }, 0);
    return;
  }
  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    const f = failure(err);
    finish({ ok: false, errorType: "Runtime.ImportModuleError", errorMessage: `${f.errorType}: ${f.errorMessage}`, trace: f.trace }, 0);
    return;
  }
  const fn = mod[functionName] ?? mod.default?.[functionName];
  if (typeof fn !== "function") {
    finish({ ok: false, errorType: "Runtime.HandlerNotFound", errorMessage: `${handlerSpec} is undefined or not exported`, trace: [] }, 0);
    return;
  }
  const env = process.env;
  const context = {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: env.SANDBOX_LAMBDA_FUNCTION_ARN,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    // Callback-style handlers (three parameters) answer through the callback.
    const result =
      fn.length >= 3
        ? await new Promise((resolve, reject) => {
            const returned = fn(event, context, (err, value) => (err ? reject(err) : resolve(value)));
            if (returned && typeof returned.then === "function") returned.then(resolve, reject);
          })
        : await fn(event, context);
    finish({ ok: true, result: result === undefined ? null : result }, 0);
  } catch (err) {
    finish(failure(err), 0);
  }
}

main().catch((err) => finish(failure(err, "Runtime.Error"), 1));
