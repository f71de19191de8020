// Lambda state: functions keyed by account, then region, then name, each with its resource
// policy, and SQS event source mappings keyed by account, region and UUID. Records live in memory
// and are written through to env.store; the code itself lives unzipped on disk under
// dataDir/lambda/ACCOUNT/REGION/NAME (paths.ts).
import type { FunctionResponseType, Runtime } from "@aws-sdk/client-lambda";
import type { DurableStore, ServiceEnvironment } from "@/sandbox/core/contracts";
import type { ServiceRoleSessions } from "@/sandbox/core/service-roles";
import type { InvocationSlots } from "./run";

export const FUNCTIONS_TABLE = "lambda_functions";
export const MAPPINGS_TABLE = "lambda_event_source_mappings";

/** Lambda's function-name grammar: names become store keys and folder names. */
export const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
export const isFunctionName = (v: unknown): v is string => typeof v === "string" && FUNCTION_NAME.test(v);

/** Lambda's state, handed to every operation first. */
export interface Lambda {
  env: ServiceEnvironment;
  model: LambdaModel;
  mappings: MappingModel;
  /** Process ids of the child processes running function code (killed when the sandbox closes). */
  running: Set<number>;
  /** How many invocations run at once; the others wait for a slot. */
  slots: InvocationSlots;
  /** Sessions of functions' execution roles, which event source mappings poll their queues as. */
  roles: ServiceRoleSessions;
}

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
  runtime: Runtime;
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

export interface MappingRecord {
  uuid: string;
  accountId: string;
  region: string;
  functionName: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  enabled: boolean;
  functionResponseTypes: FunctionResponseType[];
  /** Epoch milliseconds. */
  lastModified: number;
  lastProcessingResult: string;
}

export const mappingKey = (m: { accountId: string; region: string; uuid: string }) => `${m.accountId}/${m.region}/${m.uuid}`;

export class MappingModel {
  private readonly mappings = new Map<string, MappingRecord>();

  constructor(private readonly store: DurableStore) {
    for (const [key, record] of store.load<MappingRecord>(MAPPINGS_TABLE)) this.mappings.set(key, record);
  }

  get(accountId: string, region: string, uuid: string): MappingRecord | undefined {
    return this.mappings.get(mappingKey({ accountId, region, uuid }));
  }

  all(): MappingRecord[] {
    return [...this.mappings.values()];
  }

  /** Writes through before returning, so an acknowledged change survives a crash. */
  save(record: MappingRecord): void {
    this.store.put(MAPPINGS_TABLE, mappingKey(record), record);
    this.mappings.set(mappingKey(record), record);
  }

  remove(record: MappingRecord): void {
    this.store.delete(MAPPINGS_TABLE, mappingKey(record));
    this.mappings.delete(mappingKey(record));
  }

  removeAccount(accountId: string): void {
    this.store.deletePrefix(MAPPINGS_TABLE, `${accountId}/`);
    for (const key of [...this.mappings.keys()]) if (key.startsWith(`${accountId}/`)) this.mappings.delete(key);
  }
}
