// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. Written as data beside
// the handlers it describes; the tests validate it against the OpenAPI schema, compare its paths
// with the route folders, and check real responses against its schemas, so it cannot drift.
import { MATRIX_SORTS } from "../cohorts/types";
import { ATTEMPT_SOURCES } from "../grading/types";
import { MAX_BODY_BYTES } from "./body";

/** A JSON Schema (2020-12, the dialect of OpenAPI 3.1) as this document uses it. */
export type JsonSchema = { [keyword: string]: unknown };

interface MediaType {
  schema: JsonSchema;
  example?: unknown;
}
interface Header {
  description: string;
  schema: JsonSchema;
}
interface Ref {
  $ref: string;
}
interface ResponseObject {
  description: string;
  headers?: Record<string, Header | Ref>;
  content?: Record<string, MediaType>;
}
interface Parameter {
  name: string;
  in: "path" | "query" | "header";
  required?: boolean;
  description: string;
  schema: JsonSchema;
}
interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  security?: Record<string, string[]>[];
  parameters?: (Parameter | Ref)[];
  requestBody?: { required: boolean; description: string; content: Record<string, MediaType> };
  responses: Record<string, ResponseObject | Ref>;
}
type HttpMethod = "get" | "post" | "put" | "patch" | "delete";
export type PathItem = Partial<Record<HttpMethod, Operation>>;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers: { url: string; description: string }[];
  security: Record<string, string[]>[];
  tags: { name: string; description: string }[];
  paths: Record<string, PathItem>;
  components: {
    securitySchemes: Record<string, { type: "http"; scheme: "bearer"; description: string }>;
    schemas: Record<string, JsonSchema>;
    responses: Record<string, ResponseObject>;
    headers: Record<string, Header>;
    parameters: Record<string, Parameter>;
  };
}

const ref = (kind: "schemas" | "responses" | "headers" | "parameters", name: string): Ref => ({ $ref: `#/components/${kind}/${name}` });
const schemaRef = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: "null" }] });
const dateTime: JsonSchema = { type: "string", format: "date-time" };
const nullableDateTime = nullable(dateTime);
const int = (minimum = 0): JsonSchema => ({ type: "integer", minimum });
const obj = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({
  type: "object",
  properties,
  required,
  additionalProperties: false,
});

const problemJson = (description: string, headers?: Record<string, Header | Ref>): ResponseObject => ({
  description,
  ...(headers ? { headers } : {}),
  content: { "application/problem+json": { schema: schemaRef("Problem") } },
});

const rateLimitHeaders = { "RateLimit-Limit": ref("headers", "RateLimit-Limit"), "RateLimit-Remaining": ref("headers", "RateLimit-Remaining") };

const okJson = (description: string, schema: string): ResponseObject => ({
  description,
  headers: rateLimitHeaders,
  content: { "application/json": { schema: schemaRef(schema) } },
});

/** Every authenticated operation can answer these. */
const commonErrors = {
  "401": ref("responses", "Unauthorized"),
  "429": ref("responses", "TooManyRequests"),
  "500": ref("responses", "InternalError"),
};

const LAB_REPORT_PROPERTIES: Record<string, JsonSchema> = {
  lab: { type: "string", minLength: 1, description: "The lab's id, e.g. order-system." },
  target: { type: "string", minLength: 1, description: "sandbox, localstack or aws." },
  region: { type: "string", minLength: 1 },
  startedAt: dateTime,
  durationMs: int(),
  passed: { type: "boolean", description: "True when every step in the report passed." },
  steps: { type: "array", items: schemaRef("StepReport") },
};

const schemas: Record<string, JsonSchema> = {
  Status: { type: "string", enum: ["pass", "fail", "error", "skip"] },
  CheckResult: {
    ...obj(
      {
        id: { type: "string", pattern: "^step\\d+\\.[a-z0-9.-]+$", description: "Stable across runs, e.g. step3.shipping-filter-accepts-1000." },
        title: { type: "string", minLength: 1 },
        status: schemaRef("Status"),
        message: { type: "string", minLength: 1, description: "A full sentence naming the resource." },
        hint: { type: "string", minLength: 1, description: "What to do next, for fail and error." },
        expected: { description: "What the check expected, when it helps." },
        found: { description: "What the check found, when it helps." },
        docs: { type: "string", minLength: 1, description: "A link into the module text or the AWS documentation." },
      },
      ["id", "title", "status", "message"],
    ),
  },
  StepReport: obj({
    step: int(1),
    slug: { type: "string", minLength: 1 },
    status: { ...schemaRef("Status"), description: "pass when all checks pass or skip, error when any errs and none fails, else fail." },
    durationMs: int(),
    checks: { type: "array", items: schemaRef("CheckResult") },
  }),
  LabReport: { ...obj(LAB_REPORT_PROPERTIES), description: "What lab-check --format json prints." },
  AttemptSummary: obj({
    id: { type: "string" },
    status: schemaRef("Status"),
    createdAt: dateTime,
    source: { type: "string", enum: [...ATTEMPT_SOURCES] },
  }),
  CheckRun: {
    ...obj({
      ...LAB_REPORT_PROPERTIES,
      attempt: { ...nullable(schemaRef("AttemptSummary")), description: "The recorded attempt; null when nothing was recorded (step 6 without probe: true)." },
    }),
    description: "The LabReport of the run, plus the attempt it recorded in the learner's history.",
  },
  CheckRequest: {
    ...obj({ probe: { type: "boolean", description: "Step 6 only: publish the tagged probe orders and start an execution. Without it step 6 only explains itself and records nothing." } }, []),
  },
  Problem: {
    type: "object",
    description: "RFC 9457 problem details. type is about:blank and title the HTTP status phrase; code is the stable reason to branch on.",
    properties: {
      type: { type: "string", description: "A URI reference; about:blank for every problem of this API." },
      title: { type: "string" },
      status: { type: "integer", minimum: 400, maximum: 599 },
      detail: { type: "string", description: "A full sentence saying what went wrong and what to do." },
      instance: { type: "string", description: "The path of the request that failed." },
      code: {
        type: "string",
        description:
          "missing-token, invalid-authorization, invalid-token, rate-limited, invalid-json, invalid-request, body-too-large, forbidden, not-found, method-not-allowed, unknown-step, not-connected, check-running, connection-failed, internal-error.",
      },
      hint: { type: "string", description: "What to do next (grading problems)." },
      retryAfter: { type: "integer", minimum: 1, description: "Seconds until a retry is allowed (429); the same as the Retry-After header." },
      errors: {
        type: "array",
        description: "Which values were invalid (422).",
        items: obj({ path: { type: "string" }, message: { type: "string" } }),
      },
    },
    required: ["type", "title", "status", "detail", "code"],
  },
  StepState: { type: "string", enum: ["not-started", "pass", "fail", "error"] },
  StepProgress: obj({
    step: int(1),
    slug: { type: "string" },
    title: { type: "string" },
    state: schemaRef("StepState"),
    regressed: { type: "boolean", description: "Passed at some point, but the latest check did not pass." },
    attempts: int(),
    lastCheckedAt: nullableDateTime,
    firstPassedAt: nullableDateTime,
  }),
  LabProgress: obj({
    lab: { type: "string" },
    title: { type: "string" },
    steps: { type: "array", items: schemaRef("StepProgress") },
    passed: { ...int(), description: "Steps whose latest check passed." },
    total: int(),
  }),
  MyProgress: obj({
    user: obj({ id: { type: "string" }, email: { type: "string" }, name: { type: "string" } }),
    labs: { type: "array", items: schemaRef("LabProgress") },
  }),
  MatrixQuery: obj(
    {
      page: int(1),
      pageSize: { type: "integer", minimum: 1, maximum: 200 },
      sort: { type: "string", enum: [...MATRIX_SORTS] },
      dir: { type: "string", enum: ["asc", "desc"] },
      search: { type: "string" },
      stuckOn: int(1),
      inactiveDays: int(1),
    },
    ["page", "pageSize", "sort", "dir"],
  ),
  MatrixCell: obj({
    step: int(1),
    state: schemaRef("StepState"),
    regressed: { type: "boolean" },
    attempts: int(),
    lastCheckedAt: nullableDateTime,
    firstAttemptAt: nullableDateTime,
    firstPassedAt: nullableDateTime,
  }),
  MatrixRow: obj({
    userId: { type: "string" },
    name: { type: "string" },
    email: { type: "string" },
    joinedAt: dateTime,
    passedSteps: int(),
    lastActiveAt: nullableDateTime,
    cells: { type: "array", items: schemaRef("MatrixCell") },
  }),
  StepAggregate: obj({
    step: int(1),
    title: { type: "string" },
    passed: int(),
    failing: int(),
    error: int(),
    notStarted: int(),
    regressed: int(),
    reached: { ...int(), description: "Learners who ever passed this step." },
    timeToComplete: obj({
      count: int(),
      medianSeconds: nullable({ type: "number" }),
      p90Seconds: nullable({ type: "number" }),
      histogram: { type: "array", items: obj({ label: { type: "string" }, upToSeconds: nullable({ type: "number" }), count: int() }) },
    }),
  }),
  CohortAggregates: obj({
    learners: int(),
    completed: int(),
    activeLastWeek: int(),
    steps: { type: "array", items: schemaRef("StepAggregate") },
  }),
  CohortProgress: obj({
    cohort: obj({ id: { type: "string" }, name: { type: "string" }, joinCode: { type: "string" } }),
    lab: { type: "string" },
    steps: { type: "array", items: obj({ step: int(1), title: { type: "string" } }) },
    query: schemaRef("MatrixQuery"),
    total: { ...int(), description: "Rows matching the filter and search, before paging." },
    rows: { type: "array", items: schemaRef("MatrixRow") },
    aggregates: { ...schemaRef("CohortAggregates"), description: "Over the whole cohort, whatever the filter." },
    version: { type: "string", description: "Changes whenever anything on the page would." },
    generatedAt: dateTime,
  }),
};

const queryParam = (name: string, description: string, schema: JsonSchema): Parameter => ({ name, in: "query", required: false, description, schema });

export const openApiDocument: OpenApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "Lab Grader API",
    version: "1.0.0",
    description:
      "Run a lab step's checks on the platform, read your progress, and (instructors) read a cohort's progress. " +
      "Authenticate with a personal API token from your account page: Authorization: Bearer lgr_…. " +
      "Each token may make API_RATE_LIMIT_PER_MINUTE requests a minute (60 by default); errors are RFC 9457 problem documents.",
  },
  servers: [{ url: "/api/v1", description: "This site." }],
  security: [{ bearerAuth: [] }],
  tags: [
    { name: "checks", description: "Running a step's checks." },
    { name: "progress", description: "Reading progress." },
    { name: "meta", description: "This document." },
  ],
  paths: {
    "/labs/{lab}/steps/{step}/checks": {
      post: {
        operationId: "runStepChecks",
        summary: "Run a step's checks and record the attempt",
        description:
          "Runs the same grading service as the Check button, against the account connected on the Connect page, and records the attempt " +
          'with source "api" (or "cli" when the X-Lab-Grader-Client header starts with lab-check/). The learner\'s check rate limit applies as in the browser.',
        tags: ["checks"],
        parameters: [ref("parameters", "lab"), ref("parameters", "step"), ref("parameters", "client")],
        requestBody: {
          required: false,
          description: `Optional, at most ${MAX_BODY_BYTES / 1024} KB.`,
          content: { "application/json": { schema: schemaRef("CheckRequest"), example: { probe: false } } },
        },
        responses: {
          "200": okJson("The checks ran. The report says check by check what passed.", "CheckRun"),
          "400": ref("responses", "BadRequest"),
          ...commonErrors,
          "404": problemJson("There is no such lab or step (code unknown-step)."),
          "409": problemJson("Not connected yet (code not-connected), or a check of this step is already running (code check-running). The hint member says what to do."),
          "413": ref("responses", "ContentTooLarge"),
          "422": ref("responses", "UnprocessableContent"),
          "502": problemJson("The grader could not reach the learner's account (code connection-failed). The hint member says what to check."),
        },
      },
    },
    "/me/progress": {
      get: {
        operationId: "getMyProgress",
        summary: "Your progress in every lab",
        tags: ["progress"],
        responses: { "200": okJson("The token owner's progress, step by step.", "MyProgress"), ...commonErrors },
      },
    },
    "/cohorts/{id}/progress": {
      get: {
        operationId: "getCohortProgress",
        summary: "A cohort's progress (instructors and admins)",
        description:
          "An instructor's token reads the cohorts they own; an admin's reads any. A learner's token is refused with 403; a cohort the token's owner may not see answers 404, so its existence is not revealed.",
        tags: ["progress"],
        parameters: [
          { name: "id", in: "path", required: true, description: "The cohort's id.", schema: { type: "string", maxLength: 64 } },
          queryParam("page", "1-based page number; past the end gives the last page.", { type: "integer", minimum: 1, default: 1 }),
          queryParam("pageSize", "Rows per page.", { type: "integer", minimum: 1, maximum: 200, default: 50 }),
          queryParam("sort", "Sort key.", { type: "string", enum: [...MATRIX_SORTS], default: "name" }),
          queryParam("dir", "Sort direction.", { type: "string", enum: ["asc", "desc"], default: "asc" }),
          queryParam("search", "Case-insensitive part of a learner's name or email.", { type: "string", maxLength: 100 }),
          queryParam("stuckOn", "Learners who passed every step before N but not step N.", { type: "integer", minimum: 1 }),
          queryParam("inactiveDays", "Learners with no check for at least this many days.", { type: "integer", minimum: 1, maximum: 365 }),
        ],
        responses: {
          "200": okJson("One page of the cohort's progress matrix, with aggregates over the whole cohort.", "CohortProgress"),
          ...commonErrors,
          "403": problemJson("The token belongs to a learner (code forbidden)."),
          "404": problemJson("No cohort with this id that the token's owner may see (code not-found)."),
        },
      },
    },
    "/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This OpenAPI document",
        tags: ["meta"],
        security: [],
        responses: { "200": { description: "The OpenAPI 3.1 document.", content: { "application/json": { schema: { type: "object" } } } } },
      },
    },
  },
  components: {
    securitySchemes: {
      bearerAuth: { type: "http", scheme: "bearer", description: "A personal API token (lgr_…), created and revoked on your account page." },
    },
    schemas,
    parameters: {
      lab: { name: "lab", in: "path", required: true, description: "The lab's id.", schema: { type: "string", example: "order-system" } },
      step: { name: "step", in: "path", required: true, description: "The step number.", schema: { type: "integer", minimum: 1, maximum: 6 } },
      client: {
        name: "X-Lab-Grader-Client",
        in: "header",
        required: false,
        description: 'The calling client, e.g. "lab-check/0.1.0"; lab-check/… records the attempt with source "cli".',
        schema: { type: "string" },
      },
    },
    headers: {
      "RateLimit-Limit": { description: "Requests this token may make per minute.", schema: { type: "integer" } },
      "RateLimit-Remaining": { description: "Requests left in the current minute.", schema: { type: "integer" } },
      "Retry-After": { description: "Seconds to wait before trying again.", schema: { type: "integer", minimum: 1 } },
      "WWW-Authenticate": { description: 'Bearer realm="lab-grader", with error="invalid_token" when a token was sent but is not valid.', schema: { type: "string" } },
    },
    responses: {
      BadRequest: problemJson("The body is not valid JSON (code invalid-json)."),
      Unauthorized: problemJson("No token, a malformed Authorization header, or a token that is unknown or revoked.", { "WWW-Authenticate": ref("headers", "WWW-Authenticate") }),
      ContentTooLarge: problemJson(`The body is larger than ${MAX_BODY_BYTES / 1024} KB (code body-too-large).`),
      UnprocessableContent: problemJson("The body is JSON but not a valid request (code invalid-request); errors lists the invalid values."),
      TooManyRequests: problemJson("The token's rate limit, or (checks) the learner's check rate limit, is spent (code rate-limited).", {
        "Retry-After": ref("headers", "Retry-After"),
      }),
      InternalError: problemJson("Something failed on the server (code internal-error). The detail is generic; the operator's log has the cause."),
    },
  },
};
