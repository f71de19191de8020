// The one way a service builds its operation table. Every service writes each AWS operation as a
// top-level function of its handlers.ts, named after the operation and taking the service's own
// state first — `SendMessage(sqs, input, ctx)` — and lists them in one exported object. This
// helper pairs each with the IAM action and resource it is authorized against, so the table, the
// IAM enforcement and the tenant-isolation suite all read the same names.
import type { Operation, RequestContext } from "./contracts";

/** A request's input as it arrives: whatever the client sent, checked field by field by the handler. */
export type OperationInput = Record<string, unknown>;

/**
 * An operation as a service writes it. The input is untrusted (the handler validates it), the
 * output is the SDK's `…CommandOutput` without `$metadata`.
 */
export type OperationHandler<S> = (service: S, input: OperationInput, ctx: RequestContext) => unknown;

export interface OperationTableSpec<S, N extends string> {
  /** The IAM service prefix: "sqs" makes SendMessage's action "sqs:SendMessage". */
  prefix: string;
  /** The service's state, handed to every handler first. */
  service: S;
  /** Every operation, by its AWS name. */
  handlers: Record<N, OperationHandler<S>>;
  /** The ARN an operation is authorized against, "*" when the action has no resource type. */
  resource(operation: N, input: OperationInput, ctx: RequestContext): string;
  /** Operations AWS authorizes under another action's name (SNS PublishBatch is sns:Publish). */
  actions?: Partial<Record<N, string>>;
  /**
   * Runs every call, when the service needs a step around all of them (SQS commits its writes
   * before answering). Without it the handler runs as it is.
   */
  around?(run: () => unknown, operation: N, ctx: RequestContext): unknown;
}

/** A body that is not a JSON object (`null`, a list) reads as no members at all. */
function members(input: unknown): OperationInput {
  return input !== null && typeof input === "object" && !Array.isArray(input) ? (input as OperationInput) : {};
}

export function operationTable<S, N extends string>(spec: OperationTableSpec<S, N>): Record<N, Operation> {
  const table = {} as Record<N, Operation>;
  for (const name of Object.keys(spec.handlers) as N[]) {
    const handler = spec.handlers[name];
    const action = spec.actions?.[name] ?? `${spec.prefix}:${name}`;
    const resource = (input: OperationInput, ctx: RequestContext) => spec.resource(name, members(input), ctx);
    const around = spec.around;
    table[name] = {
      action,
      resource,
      handler: around
        ? (input, ctx) => around(() => handler(spec.service, members(input), ctx), name, ctx)
        : (input, ctx) => handler(spec.service, members(input), ctx) as Record<string, unknown>,
    };
  }
  return table;
}
