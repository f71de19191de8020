// Shared by the Lambda and Step Functions unit tests: zips made with fflate, a memory
// environment with a temporary data folder, and the lab's solution functions.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { strToU8, zipSync } from "fflate";
import { memoryEnvironment } from "@/sandbox/core/memory-environment";
import type { ServiceEnvironment } from "@/sandbox/core/contracts";
import { createLambdaService } from "@/sandbox/services/lambda";
import { createSqsService } from "@/sandbox/services/sqs";

export const SOLUTION = fileURLToPath(new URL("../../../../labs/order-system/solution", import.meta.url));

export function zipOf(files: Record<string, string>): string {
  const entries = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, strToU8(text)]));
  return Buffer.from(zipSync(entries)).toString("base64");
}

/** A zip holding one of the lab's solution files at its root, as the reference scripts build it. */
export function solutionZip(fn: string, file = "index.mjs"): string {
  return zipOf({ [file]: readFileSync(path.join(SOLUTION, "functions", fn, file), "utf8") });
}

const tempDirs: string[] = [];

export function tempEnvironment(options: Partial<ServiceEnvironment["options"]> = {}) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "sandbox-lambda-test-"));
  tempDirs.push(dataDir);
  return memoryEnvironment({ dataDir, ...options });
}

/** Lambda and the real SQS on one temporary memory environment (close both after the test). */
export function lambdaWithSqs(options: Partial<ServiceEnvironment["options"]> = {}) {
  const env = tempEnvironment(options);
  const lambda = createLambdaService(env);
  const sqs = createSqsService(env);
  env.register(lambda);
  env.register(sqs);
  return { env, lambda, sqs };
}

/** Removes the data folders tempEnvironment made (call after closing the services). */
export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export const ROLE = "arn:aws:iam::000000000000:role/lab-lambda-role";
