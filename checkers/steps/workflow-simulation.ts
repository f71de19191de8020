// Step 5's simulated runs: the learner's definition run by the shared interpreter with stub
// tasks that behave like the lab's functions (no AWS calls), recording which functions were
// called and what was published. Waits pass instantly on a fake clock.
import { fakeClock, lambdaFunctionName, runStateMachine, taskTarget, type TaskHandler } from "@/semantics/asl";

/** The functions and topics by their job, from the step's front matter (in its order). */
export interface WorkflowNames {
  validate: string;
  inventory: string;
  payment: string;
  express: string;
  standard: string;
  notifications: string;
  failures: string;
}

export interface Publish {
  topicArn: string;
  /** The integration's parameters as the state sent them (TopicArn, Message...). */
  parameters: unknown;
}

export interface Simulation {
  status: string;
  error?: string;
  cause?: string;
  output?: unknown;
  /** Lambda functions called, in order. */
  called: string[];
  published: Publish[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function validationError(message: string): Error {
  const e = new Error(message);
  e.name = "ValidationError"; // the name Step Functions matches, as Lambda reports the error type
  return e;
}

/** What the lab's reference functions return, without their random ids and clocks. */
function lambdaStub(names: WorkflowNames, fn: string, event: unknown): unknown {
  const e = isRecord(event) ? event : {};
  const orderId = e.orderId;
  switch (fn) {
    case names.validate:
      if (orderId === undefined || orderId === null || String(orderId).trim() === "") {
        throw validationError("The order has no orderId, so it cannot be processed.");
      }
      return { ...e, validatedAt: "2026-01-01T00:00:00.000Z" };
    case names.inventory:
      return { orderId, inStock: true, warehouse: "us-east-main" };
    case names.payment:
      return { orderId, reservationId: "res-simulated", amount: isRecord(e.order) ? (e.order.amount ?? 0) : 0, currency: "USD" };
    case names.express:
      return { orderId, service: "express", carrier: "AirFast", trackingId: "EXP-SIMULATED", estimatedDays: 1 };
    case names.standard:
      return { orderId, service: "standard", carrier: "GroundLine", trackingId: "STD-SIMULATED", estimatedDays: 5 };
    default:
      return event; // a function the lab does not know: pass the input on
  }
}

export async function simulate(definition: unknown, input: unknown, names: WorkflowNames, stateMachineArn?: string): Promise<Simulation> {
  const called: string[] = [];
  const published: Publish[] = [];
  const handler: TaskHandler = (resource, taskInput) => {
    const t = taskTarget({ Type: "Task", Resource: resource });
    if (t.kind === "lambda") {
      if (t.action === "invoke") {
        // The lambda:invoke integration: the function is in the parameters, the result under Payload.
        const params = isRecord(taskInput) ? taskInput : {};
        const fn = lambdaFunctionName(String(params.FunctionName ?? ""));
        called.push(fn);
        return { ExecutedVersion: "$LATEST", StatusCode: 200, Payload: lambdaStub(names, fn, params.Payload) };
      }
      const fn = t.lambdaFunctionName ?? "";
      called.push(fn);
      return lambdaStub(names, fn, taskInput);
    }
    if (t.kind === "sns" && t.action?.toLowerCase() === "publish") {
      const params = isRecord(taskInput) ? taskInput : {};
      published.push({ topicArn: String(params.TopicArn ?? params.TargetArn ?? ""), parameters: taskInput });
      return { MessageId: `00000000-0000-4000-8000-${String(published.length).padStart(12, "0")}`, SdkHttpMetadata: { HttpStatusCode: 200 } };
    }
    return {}; // another integration: a quiet success
  };
  const r = await runStateMachine(definition, input, {
    taskHandlers: handler,
    clock: fakeClock(),
    maxSteps: 500,
    ...(stateMachineArn ? { stateMachineArn } : {}),
    executionName: "lab-grader-simulation",
  });
  const out: Simulation = { status: r.status, called, published };
  if (r.error !== undefined) out.error = r.error;
  if (r.cause !== undefined) out.cause = r.cause;
  if (r.output !== undefined) out.output = r.output;
  return out;
}

/** Does `value` appear anywhere in `haystack`, looking inside JSON strings too? */
export function containsValue(haystack: unknown, needle: unknown, depth = 0): boolean {
  if (depth > 20) return false;
  if (JSON.stringify(haystack) === JSON.stringify(needle)) return true;
  if (typeof haystack === "string") {
    const t = haystack.trim();
    if (t.startsWith("{") || t.startsWith("[")) {
      try {
        return containsValue(JSON.parse(t), needle, depth + 1);
      } catch {
        return false;
      }
    }
    return false;
  }
  if (Array.isArray(haystack)) return haystack.some((v) => containsValue(v, needle, depth + 1));
  if (isRecord(haystack)) return Object.values(haystack).some((v) => containsValue(v, needle, depth + 1));
  return false;
}
