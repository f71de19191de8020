// `lab-check` flags (ARCHITECTURE.md, "Interfaces"), parsed strictly with node:util so a typo
// is a usage error (exit 2) instead of a silently ignored option.
import { parseArgs } from "node:util";

export const TARGETS = ["sandbox", "localstack", "aws"] as const;
export const FORMATS = ["text", "json", "junit"] as const;
export type Target = (typeof TARGETS)[number];
export type Format = (typeof FORMATS)[number];

/** Both the sandbox and LocalStack listen on 4566 by default. */
export const DEFAULT_LOCAL_ENDPOINT = "http://localhost:4566";

/** What every run shares, local or remote. */
interface CommonOptions {
  lab: string;
  /** Steps to check, ascending. `all` is 1–5, plus 6 only with --probe. */
  steps: number[];
  format: Format;
  probe: boolean;
  /** Write the report to this file instead of stdout (a CI artefact). */
  output?: string;
}

/** Checks run on this machine, through the checkers. */
export interface LocalOptions extends CommonOptions {
  mode: "local";
  target: Target;
  endpoint?: string;
  /** Undefined: the environment's region, else the lab's. */
  region?: string;
  roleArn?: string;
  externalId?: string;
}

/** Checks run by the platform with the learner's saved connection (--remote). */
export interface RemoteOptions extends CommonOptions {
  mode: "remote";
  /** The platform's base URL, without a trailing slash. */
  url: string;
  /** A personal API token: never printed, sent only to `url`. */
  token: string;
}

export type CliOptions = LocalOptions | RemoteOptions;

export type Parsed = { kind: "help" } | { kind: "run"; options: CliOptions };

/** A usage mistake: printed with a pointer to --help, exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export const USAGE = `Usage: lab-check [options]

Checks the order-system lab's steps in your account and prints what is right and what to fix.

Options:
  --step all|N[,N...]   steps to check (default all = steps 1-5; all includes 6 with --probe)
  --target T            sandbox | localstack | aws (default: aws, or sandbox with --endpoint)
  --endpoint URL        the sandbox's or LocalStack's URL (default ${DEFAULT_LOCAL_ENDPOINT} for both)
  --region R            region of your resources (default: AWS_REGION, else the lab's region)
  --role-arn ARN        the grader role to assume; without it, checks use your credentials directly
  --external-id ID      the ExternalId the role's trust policy requires (with --role-arn)
  --format F            text | json | junit (default text)
  --probe               step 6: publish three tagged probe orders and start one execution
                        (it changes your account only by those; without it step 6 is not run)
  --lab NAME            the lab to check (default order-system)
  --output FILE         write the report to FILE instead of stdout (e.g. junit for CI)
  --remote URL          ask the platform at URL to run the checks with the connection saved
                        there; it records them in your history (nothing computed here is sent)
  --token T             your API token for --remote (better: set LAB_GRADER_TOKEN, which keeps
                        it out of your shell history); create one on your account page
  -h, --help            show this help

Credentials come from the standard AWS chain (environment, profile, ...); with --remote, from
the connection you saved on the platform, so --target, --endpoint, --region, --role-arn and
--external-id do not apply.
Exit status: 0 every selected step passes, 1 any step fails or errs, 2 usage or connection error.`;

const LAST_STEP = 6;
/** The end-to-end step, which sends probe traffic and so runs only with --probe. */
export const PROBE_STEP = 6;
/** Flags that describe how this machine reaches an account: meaningless when the platform checks. */
const LOCAL_ONLY_FLAGS = ["target", "endpoint", "region", "role-arn", "external-id"] as const;

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${allowed.join(", ")}, not "${value}".`);
  return value as T;
}

function parseSteps(value: string, probe: boolean): number[] {
  if (value === "all") return Array.from({ length: probe ? LAST_STEP : LAST_STEP - 1 }, (_, i) => i + 1);
  const steps = value.split(",").map((s) => s.trim());
  const numbers = steps.map((s) => {
    const n = /^\d+$/.test(s) ? Number(s) : NaN;
    if (!Number.isInteger(n) || n < 1 || n > LAST_STEP) throw new UsageError(`--step must be all or step numbers 1-${LAST_STEP}, not "${value}".`);
    return n;
  });
  if (numbers.includes(PROBE_STEP) && !probe) {
    throw new UsageError(`Step ${PROBE_STEP} publishes probe orders to your topic and starts an execution; add --probe to run it.`);
  }
  return [...new Set(numbers)].sort((a, b) => a - b);
}

function endpointUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--endpoint must be a URL such as ${DEFAULT_LOCAL_ENDPOINT}, not "${value}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--endpoint must be an http or https URL, not "${value}".`);
  return value.replace(/\/+$/, "");
}

function remoteUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--remote must be the platform's URL such as https://grader.example.com, not "${value}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--remote must be an http or https URL, not "${value}".`);
  // A password in the URL would be sent (and shown in errors) beside the token: refuse it without echoing it.
  if (url.username || url.password) throw new UsageError("--remote must not contain a user name or password: the token is the only credential, given with --token or LAB_GRADER_TOKEN.");
  if (url.search || url.hash) throw new UsageError(`--remote must be the platform's base URL without a query or fragment, such as ${url.origin}.`);
  return url.href.replace(/\/+$/, "");
}

/** The token goes into an HTTP header: printable ASCII only. The message never repeats it. */
function apiToken(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  const token = flag ?? env.LAB_GRADER_TOKEN ?? "";
  if (token === "") throw new UsageError("--remote needs your API token: set LAB_GRADER_TOKEN (or pass --token). Create one on your account page on the platform.");
  if (!/^[\x21-\x7e]+$/.test(token)) throw new UsageError(`The API token from ${flag !== undefined ? "--token" : "LAB_GRADER_TOKEN"} has spaces or characters a token never has; copy it again from the account page.`);
  return token;
}

/**
 * Parses the flags. `env` is read only for LAB_GRADER_TOKEN, so the token need not be typed on
 * the command line (and land in shell history or a CI log's command echo).
 */
export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): Parsed {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        step: { type: "string", default: "all" },
        target: { type: "string" },
        endpoint: { type: "string" },
        region: { type: "string" },
        "role-arn": { type: "string" },
        "external-id": { type: "string" },
        format: { type: "string", default: "text" },
        probe: { type: "boolean", default: false },
        lab: { type: "string", default: "order-system" },
        output: { type: "string" },
        remote: { type: "string" },
        token: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    // parseArgs' messages name the flag ("Unknown option '--stpe'"); keep them, drop its advice to use "--".
    throw new UsageError((err as Error).message.replace(/\. To specify a positional argument.*$/s, "."));
  }
  if (values.help) return { kind: "help" };
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(values.lab)) throw new UsageError(`--lab must be a lab's folder name such as order-system, not "${values.lab}".`);
  if (values.output !== undefined && values.output.trim() === "") throw new UsageError("--output must name a file, such as lab-check.xml.");
  const probe = values.probe === true;
  const common = {
    lab: values.lab,
    steps: parseSteps(values.step, probe),
    format: oneOf("--format", values.format, FORMATS),
    probe,
    ...(values.output !== undefined ? { output: values.output } : {}),
  };

  if (values.remote !== undefined) {
    const local = LOCAL_ONLY_FLAGS.filter((f) => values[f] !== undefined).map((f) => `--${f}`);
    if (local.length > 0) {
      throw new UsageError(`${local.join(", ")} cannot be used with --remote: the platform checks through the connection you saved there. Drop ${local.length > 1 ? "them" : "it"}, or drop --remote to check from this machine.`);
    }
    return { kind: "run", options: { mode: "remote", ...common, url: remoteUrl(values.remote), token: apiToken(values.token, env) } };
  }
  if (values.token !== undefined) throw new UsageError("--token goes with --remote: it is your API token on the platform.");

  const target = values.target !== undefined ? oneOf("--target", values.target, TARGETS) : values.endpoint !== undefined ? "sandbox" : "aws";
  const endpoint = values.endpoint !== undefined ? endpointUrl(values.endpoint) : target === "aws" ? undefined : DEFAULT_LOCAL_ENDPOINT;
  if (values["external-id"] !== undefined && values["role-arn"] === undefined) {
    throw new UsageError("--external-id goes with --role-arn: the ExternalId is what the grader role's trust policy asks for.");
  }
  const roleArn = values["role-arn"];
  if (roleArn !== undefined && !/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(roleArn)) {
    throw new UsageError(`--role-arn must be an IAM role ARN such as arn:aws:iam::123456789012:role/LabGraderRole, not "${roleArn}".`);
  }
  const region = values.region;
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new UsageError(`--region must be a region such as us-east-1, not "${region}".`);

  return {
    kind: "run",
    options: {
      mode: "local",
      ...common,
      target,
      ...(endpoint !== undefined ? { endpoint } : {}),
      ...(region !== undefined ? { region } : {}),
      ...(roleArn !== undefined ? { roleArn } : {}),
      ...(values["external-id"] !== undefined ? { externalId: values["external-id"] } : {}),
    },
  };
}
