// Lambda state: functions keyed by account, then region, then name, each with its resource
// policy. Records live in memory and are written through to env.store; the code itself lives
// unzipped on disk under dataDir/lambda/ACCOUNT/REGION/NAME (paths.ts).
import type { DurableStore } from "@/sandbox/core/contracts";

export const FUNCTIONS_TABLE = "lambda_functions";

export interface PolicyStatement {
  Sid: string;
  Effect: "Allow";
  Principal: "*" | { Service: string } | { AWS: string };
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface FunctionRecord {
  accountId: string;
  region: string;
  name: string;
  arn: string;
  runtime: string;
  role: string;
  handler: string;
  description: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, string>;
  codeSha256: string;
  codeSize: number;
  /** Epoch milliseconds. */
  lastModified: number;
  revisionId: string;
  policy: { statements: PolicyStatement[]; revisionId: string } | null;
  tags: Record<string, string>;
}

export const functionKey = (accountId: string, region: string, name: string) => `${accountId}/${region}/${name}`;

export const functionArn = (accountId: string, region: string, name: string) => `arn:aws:lambda:${region}:${accountId}:function:${name}`;

/** The function's resource policy as GetPolicy shows it and IAM evaluates it. */
export function policyDocument(fn: FunctionRecord): Record<string, unknown> {
  return { Version: "2012-10-17", Id: "default", Statement: fn.policy?.statements ?? [] };
}

export class LambdaModel {
  private readonly functions = new Map<string, FunctionRecord>();

  constructor(private readonly store: DurableStore) {
    for (const [key, record] of store.load<FunctionRecord>(FUNCTIONS_TABLE)) this.functions.set(key, record);
  }

  get(accountId: string, region: string, name: string): FunctionRecord | undefined {
    return this.functions.get(functionKey(accountId, region, name));
  }

  list(accountId: string, region: string): FunctionRecord[] {
    const prefix = `${accountId}/${region}/`;
    return [...this.functions.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([, record]) => record)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Writes through before returning, so an acknowledged change survives a crash. */
  save(record: FunctionRecord): void {
    const key = functionKey(record.accountId, record.region, record.name);
    this.store.put(FUNCTIONS_TABLE, key, record);
    this.functions.set(key, record);
  }

  remove(record: FunctionRecord): void {
    const key = functionKey(record.accountId, record.region, record.name);
    this.store.delete(FUNCTIONS_TABLE, key);
    this.functions.delete(key);
  }

  removeAccount(accountId: string): void {
    this.store.deletePrefix(FUNCTIONS_TABLE, `${accountId}/`);
    for (const key of [...this.functions.keys()]) if (key.startsWith(`${accountId}/`)) this.functions.delete(key);
  }
}
