// Every setting of the built-in sandbox, read in this one module. The sandbox process reads its
// settings here (scripts/sandbox.ts → readSandboxSettings); `npm start` hands the sandbox exactly
// the variables named here and nothing else (none of the site's secrets); and the site's own
// view (lib/env.ts) spreads these fields and rules into its schema, so both processes apply one
// rule. Pure (zod and semantics/ only): the site imports it without importing the sandbox.
import { z } from "zod";
import { parseAllowedEndpoints } from "@/semantics/net";
import type { SandboxOptions } from "./index";

const emptyAsUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalText = z.preprocess(emptyAsUndefined, z.string().optional());
const localOrHosted = z.enum(["local", "hosted"]);

export const sandboxSettingFields = {
  /** local: one machine, loopback allowed, demo accounts seeded. hosted: a shared deployment. */
  DEPLOYMENT_MODE: z.preprocess(emptyAsUndefined, localOrHosted.default("local")),
  /** The built-in sandbox's mode; DEPLOYMENT_MODE when unset (read it through sandboxMode()). */
  SANDBOX_MODE: z.preprocess(emptyAsUndefined, localOrHosted.optional()),
  /** Run learners' Lambda code: on unless "off". Hosted mode runs it only inside the bubblewrap jail. */
  SANDBOX_LAMBDA_EXEC: z.preprocess(emptyAsUndefined, z.enum(["on", "off"]).optional()),
  /** "off" when LocalStack (or nothing) should own the sandbox's port instead (`npm start` then starts none). */
  SANDBOX: z.preprocess(emptyAsUndefined, z.enum(["on", "off"]).default("on")),
  SANDBOX_HOST: z.preprocess(emptyAsUndefined, z.string().default("127.0.0.1")),
  /** 0 (any free port) only for `npm run sandbox` alone, as tests do: the site must know the port. */
  SANDBOX_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(4566)),
  /** The sandbox's store and Lambda code; never the site's data directory (scripts/lib/sandbox-files.ts). */
  SANDBOX_DATA: z.preprocess(emptyAsUndefined, z.string().default(".data/sandbox")),
  /** Bearer token of the admin API: the one secret of the sandbox's that the site holds. */
  SANDBOX_ADMIN_TOKEN: optionalText,
  /** What learners are told to use as their endpoint (the sandbox's own address when unset). */
  SANDBOX_PUBLIC_URL: optionalText,
  /** When `npm start` runs as root: the user the sandbox runs as, so it cannot read the site's files. */
  SANDBOX_USER: optionalText,
  /** The Python that runs Python handlers (else /usr/bin/python3, /usr/local/bin/python3, python3). */
  SANDBOX_PYTHON: optionalText,
  /** Outbound-address policy (SNS http subscriptions, LocalStack endpoints, webhooks); defaults to DEPLOYMENT_MODE. */
  ENDPOINT_POLICY: z.preprocess(emptyAsUndefined, localOrHosted.optional()),
  /** Addresses, CIDRs or hostnames the hosted policy allows anyway (comma or space separated). */
  ALLOWED_ENDPOINTS: optionalText,
};

/** The names of every variable the sandbox reads: `npm start` passes these to it, and no others of its own. */
export const SANDBOX_SETTING_NAMES = Object.keys(sandboxSettingFields) as (keyof typeof sandboxSettingFields)[];

export type SandboxSettings = z.infer<z.ZodObject<typeof sandboxSettingFields>>;
type ModeSettings = Pick<SandboxSettings, "DEPLOYMENT_MODE" | "SANDBOX_MODE" | "SANDBOX_LAMBDA_EXEC">;

/** SANDBOX_MODE, else DEPLOYMENT_MODE. */
export function sandboxMode(e: ModeSettings): "local" | "hosted" {
  return e.SANDBOX_MODE ?? e.DEPLOYMENT_MODE;
}

/** SANDBOX_LAMBDA_EXEC, on when unset; in hosted mode code runs only jailed (runtime/execute.ts refuses it otherwise). */
export function sandboxLambdaExec(e: ModeSettings): boolean {
  return (e.SANDBOX_LAMBDA_EXEC ?? "on") === "on";
}

/** The site's outbound-address policy (webhooks, LocalStack URLs): ENDPOINT_POLICY, else the deployment mode. */
export function endpointPolicy(e: Pick<SandboxSettings, "ENDPOINT_POLICY" | "DEPLOYMENT_MODE">): "local" | "hosted" {
  return e.ENDPOINT_POLICY ?? e.DEPLOYMENT_MODE;
}

/** The sandbox's outbound-address policy (SNS http deliveries): ENDPOINT_POLICY, else the sandbox's mode. */
export function sandboxEndpointPolicy(e: ModeSettings & Pick<SandboxSettings, "ENDPOINT_POLICY">): "local" | "hosted" {
  return e.ENDPOINT_POLICY ?? sandboxMode(e);
}

interface Rule {
  check(e: ModeSettings): boolean;
  issue: { path: string[]; message: string };
}

/** A hosted deployment never runs a local-mode sandbox: the setting that says so is refused, not overruled in silence. */
export const noLocalSandboxWhenHosted: Rule = {
  check: (e) => !(e.DEPLOYMENT_MODE === "hosted" && e.SANDBOX_MODE === "local"),
  issue: {
    path: ["SANDBOX_MODE"],
    message: "SANDBOX_MODE=local contradicts DEPLOYMENT_MODE=hosted: a hosted deployment's sandbox is hosted (leave SANDBOX_MODE unset)",
  },
};

/** The rules, for any schema that holds these fields (this module's and lib/env.ts's). */
export function checkSandboxSettings(e: ModeSettings, ctx: z.RefinementCtx): void {
  for (const rule of [noLocalSandboxWhenHosted]) {
    if (!rule.check(e)) ctx.addIssue({ code: "custom", path: rule.issue.path, message: rule.issue.message });
  }
}

const schema = z.object(sandboxSettingFields).superRefine(checkSandboxSettings);

/** The sandbox's settings from the given variables; throws one readable message naming every invalid one. */
export function readSandboxSettings(variables: Readonly<Record<string, string | undefined>>): SandboxSettings {
  const parsed = schema.safeParse(variables);
  if (!parsed.success) throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}

/** Where this machine reaches the sandbox (the site's admin calls and health probe, `npm start`): loopback when it listens on every interface. */
export function sandboxLocalUrl(s: Pick<SandboxSettings, "SANDBOX_HOST" | "SANDBOX_PORT">): string {
  const h = s.SANDBOX_HOST;
  const host = h === "0.0.0.0" ? "127.0.0.1" : h === "::" || h === "[::]" ? "[::1]" : h.includes(":") && !h.startsWith("[") ? `[${h}]` : h;
  return `http://${host}:${s.SANDBOX_PORT}`;
}

/** What createSandbox() takes, from the settings. */
export function sandboxOptions(s: SandboxSettings): SandboxOptions {
  return {
    host: s.SANDBOX_HOST,
    port: s.SANDBOX_PORT,
    dataDir: s.SANDBOX_DATA,
    ...(s.SANDBOX_ADMIN_TOKEN ? { adminToken: s.SANDBOX_ADMIN_TOKEN } : {}),
    mode: sandboxMode(s),
    lambdaExec: sandboxLambdaExec(s),
    endpointPolicy: sandboxEndpointPolicy(s),
    allowedEndpoints: parseAllowedEndpoints(s.ALLOWED_ENDPOINTS),
    ...(s.SANDBOX_PUBLIC_URL ? { publicUrl: s.SANDBOX_PUBLIC_URL } : {}),
  };
}
