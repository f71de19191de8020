// `npx lab-check`: the lab's checkers from a terminal (ARCHITECTURE.md, "Interfaces"). Reads the
// step front matter from labs/<lab>/steps, connects (AssumeRole with the ExternalId when a role
// is given, else the base credentials directly), runs the steps and prints the report.
// Exit 0 every selected step passes, 1 any fails or errs, 2 usage or connection error.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { connect, type Connection } from "@/checkers/context";
import { ConnectionError } from "@/checkers/credentials";
import { classifyError, errorText } from "@/checkers/errors";
import { checkerFor } from "@/checkers/registry";
import { runSteps, type StepToRun } from "@/checkers/runner";
import type { LabReport } from "@/checkers/types";
import { loadLab, type Lab } from "@/lib/content/lab";
import { USAGE, UsageError, parseCli, type CliOptions } from "./args";
import { formatJson } from "./format-json";
import { formatJunit } from "./format-junit";
import { formatText, wantsColor } from "./format-text";
import { Progress } from "./progress";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const REQUEST_TIMEOUT_MS = 10_000;

export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;

/** Something that ends the run before any report: printed on stderr, exit 2. */
class Fatal extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

async function readLab(name: string): Promise<Lab> {
  try {
    // From the package's own labs/ folder, so lab-check works from any directory.
    return await loadLab(name, path.join(ROOT, "labs", name));
  } catch (err) {
    throw new Fatal(`Could not read lab "${name}": ${errorText(err)}`);
  }
}

/** ARCHITECTURE.md: on LocalStack the grader is test/test; elsewhere the standard chain decides. */
function baseCredentials(o: CliOptions, env: NodeJS.ProcessEnv) {
  if (o.target === "localstack" && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) return { accessKeyId: "test", secretAccessKey: "test" };
  return undefined;
}

async function open(o: CliOptions, region: string, env: NodeJS.ProcessEnv): Promise<Connection> {
  let connection: Connection;
  try {
    const base = baseCredentials(o, env);
    connection = await connect({
      target: o.target,
      region,
      ...(o.endpoint ? { endpoint: o.endpoint } : {}),
      ...(o.roleArn ? { roleArn: o.roleArn } : {}),
      ...(o.externalId ? { externalId: o.externalId } : {}),
      userId: "cli",
      ...(base ? { baseCredentials: base } : {}),
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
    });
  } catch (err) {
    if (err instanceof ConnectionError) throw new Fatal(err.message, err.hint);
    throw new Fatal(`Could not connect: ${errorText(err)}`, credentialsHint(o));
  }
  // One cheap call proves the endpoint answers and the credentials are accepted, so a wrong key
  // or URL is a connection error (exit 2), not a page of failed checks.
  try {
    await connection.identity();
  } catch (err) {
    const c = classifyError(err);
    const where = o.endpoint ?? `AWS (${region})`;
    if (c.kind === "unreachable" || c.kind === "timeout") throw new Fatal(`${where} did not answer: ${errorText(err)}`, "Check the --endpoint URL and that the sandbox or LocalStack is running.");
    if (c.kind === "credentials" || c.kind === "access-denied" || c.code === "CredentialsProviderError") {
      throw new Fatal(`${where} did not accept the credentials${o.roleArn ? ` of ${o.roleArn}` : ""}: ${errorText(err)}`, credentialsHint(o));
    }
    throw new Fatal(`sts:GetCallerIdentity on ${where} failed: ${errorText(err)}`, credentialsHint(o));
  }
  return connection;
}

function credentialsHint(o: CliOptions): string {
  const keys = o.target === "sandbox" ? "your sandbox account's keys (or the grader's, with --role-arn)" : "your credentials";
  return `lab-check reads ${keys} from the standard AWS chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE.`;
}

function stepsToRun(lab: Lab, steps: readonly number[]): StepToRun[] {
  return steps.map((n) => {
    const checker = checkerFor(n);
    const frontMatter = lab.steps.find((s) => s.step === n);
    if (!checker || !frontMatter) throw new Fatal(`Lab "${lab.id}" has no checker for step ${n}.`);
    return { checker, frontMatter };
  });
}

function render(report: LabReport, o: CliOptions, stdout: NodeJS.WriteStream): string {
  if (o.format === "json") return formatJson(report);
  if (o.format === "junit") return formatJunit(report);
  return formatText(report, { color: wantsColor(stdout) });
}

export interface Io {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** The whole command; returns the exit status. Never throws. */
export async function main(io: Io): Promise<number> {
  const errorLine = (message: string, hint?: string) => io.stderr.write(`lab-check: ${message}\n${hint ? `  ${hint}\n` : ""}`);
  try {
    const parsed = parseCli(io.argv);
    if (parsed.kind === "help") {
      io.stdout.write(USAGE + "\n");
      return EXIT.pass;
    }
    const o = parsed.options;
    const lab = await readLab(o.lab);
    const region = o.region ?? (io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || lab.region);
    const steps = stepsToRun(lab, o.steps);
    const connection = await open(o, region, io.env);

    const progress = new Progress(io.stderr, steps.length);
    let report: LabReport;
    try {
      report = await runSteps(
        {
          lab: lab.id,
          connection,
          probe: o.probe,
          labSteps: lab.steps,
          onStep: (s) => progress.stepDone(s.step, s.status),
          onProgress: (step, message) => progress.note(step, message),
        },
        steps,
      );
    } finally {
      progress.clear();
    }
    io.stdout.write(render(report, o, io.stdout));
    return report.passed ? EXIT.pass : EXIT.fail;
  } catch (err) {
    if (err instanceof UsageError) {
      errorLine(err.message, "Run lab-check --help for the flags.");
    } else if (err instanceof Fatal) {
      errorLine(err.message, err.hint);
    } else {
      errorLine(`unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    return EXIT.usage;
  }
}

/** Runs as the process: real argv and streams; exits once stdout has drained, so a piped report is never cut short. */
export function cli(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  void main({ argv: process.argv.slice(2), env: process.env, stdout: process.stdout, stderr: process.stderr }).then((code) =>
    process.stdout.write("", () => process.exit(code)),
  );
}

// `tsx cli/lab-check.ts ...` as well as the bin (which calls cli() itself).
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) cli();
