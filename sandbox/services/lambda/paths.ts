// Where Lambda keeps function code on disk: dataDir/lambda/ACCOUNT/REGION/NAME. Every component is
// checked against its grammar (no request-supplied string reaches a path as sent), and the result
// must still resolve inside dataDir/lambda — a second fence, should a grammar ever be loosened.
import path from "node:path";
import { isAccountId, isRegion } from "@/sandbox/core/aws-names";
import { isFunctionName } from "./models";

export function lambdaRoot(dataDir: string): string {
  return path.resolve(dataDir, "lambda");
}

function inside(root: string, parts: string[]): string {
  const target = path.resolve(root, ...parts);
  if (!target.startsWith(root + path.sep)) throw new Error(`Refusing a Lambda path outside ${root}: ${target}`);
  return target;
}

/** An account's folder (removed when the account is reset). */
export function accountDir(dataDir: string, accountId: string): string {
  if (!isAccountId(accountId)) throw new Error(`Refusing a Lambda path for a malformed account id: ${JSON.stringify(accountId)}`);
  return inside(lambdaRoot(dataDir), [accountId]);
}

/** A function's unzipped code. */
export function codeDir(dataDir: string, accountId: string, region: string, name: string): string {
  if (!isAccountId(accountId) || !isRegion(region) || !isFunctionName(name)) {
    throw new Error(`Refusing a Lambda path for a malformed function: ${JSON.stringify([accountId, region, name])}`);
  }
  return inside(lambdaRoot(dataDir), [accountId, region, name]);
}
