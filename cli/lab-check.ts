// `npx lab-check`: the lab's checkers from a terminal (ARCHITECTURE.md, "Interfaces"). Reads the
// step front matter from labs/<lab>/steps, connects (AssumeRole with the ExternalId when a role
// is given, else the base credentials directly), runs the steps and prints the report. With
// --remote the platform runs them instead (remote.ts) and the same formatters print its answer.
// Exit 0 every selected step passes, 1 any fails or errs, 2 usage or connection error.
import fs from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { connect, type Connection } from "@/checkers/context";
import { ConnectionError } from "@/checkers/credentials";
import { classifyError, errorText } from "@/checkers/errors";
import { checkerFor } from "@/checkers/registry";
import { runSteps, type StepToRun } from "@/checkers/runner";
import type { LabReport } from "@/checkers/types";
import { loadLab, type Lab } from "@/lib/content/lab";
import { PROBE_STEP, USAGE, UsageError, parseCli, type CliOptions, type LocalOptions, type RemoteOptions } from "./args";
import { Fatal } from "./fatal";
import { formatJson } from "./format-json";
import { formatJunit } from "./format-junit";
import { formatText, wantsColor } from "./format-text";
import { Progress } from "./progress";
import { recordedNote, runRemote } from "./remote";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const REQUEST_TIMEOUT_MS = 10_000;

export const EXIT = { pass: 0, fail: 1, usage: 2 } as const;

async function readLab(name: string): Promise<Lab> {
  try {
    // From the package's own labs/ folder, so lab-check works from any directory.
    return await loadLab(name, path.join(ROOT, "labs", name));
  } catch (err) {
    throw new Fatal(`Could not read lab "${name}": ${errorText(err)}`);
  }
}

/** ARCHITECTURE.md: on LocalStack the grader is test/test; elsewhere the standard chain decides. */
function baseCredentials(o: LocalOptions, env: NodeJS.ProcessEnv) {
  if (o.target === "localstack" && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE) return { accessKeyId: "test", secretAccessKey: "test" };
  return undefined;
}

async function open(o: LocalOptions, region: string, env: NodeJS.ProcessEnv): Promise<Connection> {
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

function credentialsHint(o: LocalOptions): string {
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

/** Colour only in text, only on stdout (never into --output's file), and only as wantsColor allows. */
function render(report: LabReport, o: CliOptions, io: Io): string {
  if (o.format === "json") return formatJson(report);
  if (o.format === "junit") return formatJunit(report);
  return formatText(report, { color: o.output === undefined && wantsColor(io.stdout, io.env) });
}

/** The report to stdout, or with --output to the file (its folder created), with a line on stderr saying where. */
async function emit(text: string, report: LabReport, o: CliOptions, io: Io): Promise<void> {
  if (o.output === undefined) {
    io.stdout.write(text);
    return;
  }
  const file = path.resolve(o.output);
  try {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text);
  } catch (err) {
    throw new Fatal(`Could not write the report to ${file}: ${errorText(err)}`, "Check that the folder is writable, or leave out --output to print the report.");
  }
  const passed = report.steps.filter((s) => s.status === "pass").length;
  io.stderr.write(`lab-check: wrote the ${o.format} report to ${file} (${passed} of ${report.steps.length} step(s) pass).\n`);
}

async function runLocal(o: LocalOptions, io: Io): Promise<number> {
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
  await emit(render(report, o, io), report, o, io);
  return report.passed ? EXIT.pass : EXIT.fail;
}

/** Loopback is this machine; anything else over plain http would carry the token in the clear. */
function plainHttpWarning(o: RemoteOptions): string | undefined {
  const url = new URL(o.url);
  const loopback = url.hostname === "localhost" || url.hostname === "[::1]" || /^127\./.test(url.hostname);
  return url.protocol === "http:" && !loopback ? `lab-check: warning: ${url.origin} is plain http, so your token crosses the network unencrypted; use https.\n` : undefined;
}

async function runOnPlatform(o: RemoteOptions, io: Io): Promise<number> {
  const warning = plainHttpWarning(o);
  if (warning) io.stderr.write(warning);
  const progress = new Progress(io.stderr, o.steps.length);
  let result;
  try {
    result = await runRemote({
      url: o.url,
      token: o.token,
      lab: o.lab,
      steps: o.steps,
      probe: o.probe,
      onStepStart: (step) => progress.note(step, step === PROBE_STEP ? "the platform is running the probe (up to 60 s)…" : "checking on the platform…"),
      onStep: (s) => progress.stepDone(s.step, s.status),
    });
  } finally {
    progress.clear();
  }
  const text = render(result.report, o, io) + (o.format === "text" ? recordedNote(result, o.url) : "");
  // The report is the platform's text: should it ever contain the token, it is not printed either.
  await emit(text.split(o.token).join("[your API token]"), result.report, o, io);
  return result.report.passed ? EXIT.pass : EXIT.fail;
}

export interface Io {
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

/** The whole command; returns the exit status. Never throws. */
export async function main(io: Io): Promise<number> {
  // The API token must never reach the terminal or a CI log, whatever text carries it.
  let secret: string | undefined;
  const redact = (text: string) => (secret ? text.split(secret).join("[your API token]") : text);
  const errorLine = (message: string, hint?: string) => io.stderr.write(redact(`lab-check: ${message}\n${hint ? `  ${hint}\n` : ""}`));
  try {
    const parsed = parseCli(io.argv, io.env);
    if (parsed.kind === "help") {
      io.stdout.write(USAGE + "\n");
      return EXIT.pass;
    }
    const o = parsed.options;
    if (o.mode === "remote") {
      secret = o.token;
      return await runOnPlatform(o, io);
    }
    return await runLocal(o, io);
  } catch (err) {
    if (err instanceof UsageError) {
      errorLine(err.message, "Run lab-check --help for the flags.");
    } else if (err instanceof Fatal) {
      errorLine(err.message, err.hint);
    } else {
      // A bug, not the user's mistake: say so plainly, without a stack trace.
      errorLine(`unexpected error: ${errorText(err)}`, "This is a bug in lab-check; please report it with the command you ran.");
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
