// The only module of the site that reads process.env: every setting is named, validated and
// defaulted here. The sandbox's settings (SANDBOX_*, DEPLOYMENT_MODE, ENDPOINT_POLICY,
// ALLOWED_ENDPOINTS) are defined once in sandbox/settings.ts, a pure module the sandbox process
// reads them with too; they are spread in here so the site applies the same rules.
import { z } from "zod";
import * as sandbox from "../sandbox/settings";
import { resolveDatabaseUrl } from "./db/url";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyAsUndefined, z.string().optional());
const flag = z.preprocess(emptyAsUndefined, z.enum(["0", "1", "true", "false"]).optional()).transform((v) => v === "1" || v === "true");

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  /** DEPLOYMENT_MODE, SANDBOX*, ENDPOINT_POLICY, ALLOWED_ENDPOINTS: read by the sandbox's rules (sandbox/settings.ts). */
  ...sandbox.sandboxSettingFields,
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65535).default(3000)),
  DATABASE_URL: optionalString.transform((v) => resolveDatabaseUrl(v)),
  AUTH_SECRET: z.preprocess(emptyAsUndefined, z.string().min(32, "AUTH_SECRET must be at least 32 characters").optional()),
  NEXTAUTH_URL: optionalString,
  DEMO: flag,
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default(".data")),
  /** The AWS profile of the grader principal on real AWS (else the SDK's default chain). */
  GRADER_AWS_PROFILE: optionalString,
  /** Where the operator hosts the grader-role template (an S3 https URL prefix): enables the console quick-create link. */
  TEMPLATE_BASE_URL: z.preprocess(emptyAsUndefined, z.string().url("TEMPLATE_BASE_URL must be a URL").optional()),
  /** Checks a learner may run per minute (web, CLI --remote and API together). */
  CHECK_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(10_000).default(10)),
  /** Requests one API token may make per minute (/api/v1). */
  API_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100_000).default(60)),
  /** How many learners an instructor's re-check grades at once. */
  RECHECK_CONCURRENCY: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(32).default(4)),
  /** The first retry delay of a failed webhook delivery; each later one doubles (5 tries, about 10 minutes). */
  WEBHOOK_RETRY_BASE_MS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(10).max(3_600_000).default(40_000)),
  /** How often the webhook worker looks for due deliveries ("off" runs no worker in this process). */
  WEBHOOK_POLL_MS: z.preprocess(emptyAsUndefined, z.union([z.literal("off"), z.coerce.number().int().min(50).max(600_000)]).default(5_000)),
})
  .superRefine(sandbox.checkSandboxSettings)
  .superRefine((e, ctx) => {
    // The site reaches the sandbox at SANDBOX_PORT, so "any free port" means nothing here.
    if (e.SANDBOX_PORT === 0) ctx.addIssue({ code: "custom", path: ["SANDBOX_PORT"], message: "SANDBOX_PORT=0 (any free port) is for `npm run sandbox` alone: the site must know the sandbox's port" });
  });

export type Env = z.infer<typeof schema>;

function load(): Env {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid environment: ${problems}`);
  }
  return parsed.data;
}

export const env: Env = load();

/** Demo accounts exist only on a local install or when asked for explicitly. */
export const seedDemoAccounts = (e: Env = env) => e.DEMO || e.DEPLOYMENT_MODE === "local";

/** The outbound-address policy in force: ENDPOINT_POLICY, else the deployment mode. */
export const endpointPolicy = (e: Env = env): "local" | "hosted" => sandbox.endpointPolicy(e);

/** The built-in sandbox's mode: SANDBOX_MODE, else DEPLOYMENT_MODE (sandbox/settings.ts, the one rule). */
export const sandboxMode = (e: Env = env): "local" | "hosted" => sandbox.sandboxMode(e);

/** The secret that signs sessions. The start script always provides one; tests and tools get a fixed dev value. */
export function authSecret(e: Env = env): string {
  if (e.AUTH_SECRET) return e.AUTH_SECRET;
  if (e.NODE_ENV === "production" && process.env.NEXT_PHASE !== "phase-production-build") {
    throw new Error("AUTH_SECRET is required in production: start the site with `npm start`, which generates one.");
  }
  return "development-only-secret-not-for-production-use";
}
