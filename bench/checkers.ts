// Wall time of checking steps 1-5 against the sandbox with the reference solution applied, and
// the AWS calls each step makes. Not a test: it prints figures.
// Run: npx tsx bench/checkers.ts [runs=20]   (target: median under 100 ms for all five steps)
//
// The sandbox runs as its own process (as `npm start` runs it), the checks go through the
// grader role as the platform's do, and STS should be called once for all runs.
import { spawnSandboxProcess } from "@/test/support/sandbox";
import { SOLUTION_SCRIPTS, applySolution, createGraderRole, labSteps, AWS_CLI } from "@/test/integration/checkers/support";
import { connect } from "@/checkers/context";
import { CredentialCache } from "@/checkers/credentials";
import { runSteps } from "@/checkers/runner";

const RUNS = Number(process.argv[2] ?? 20);
const EXTERNAL_ID = "bench-external-id-0123456789abcdef";

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)] ?? NaN;
};
const p90 = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.9) - 1)] ?? NaN;
};

const sb = await spawnSandboxProcess();
try {
  const [learner, grader] = await Promise.all([sb.createAccount(), sb.grader()]);
  const roleArn = await createGraderRole(sb as never, learner, grader, { externalId: EXTERNAL_ID });
  console.log(`Applying the reference solution (steps 1-5) with ${AWS_CLI}...`);
  for (const script of SOLUTION_SCRIPTS) {
    const r = await applySolution(sb as never, learner, script);
    if (r.code !== 0) throw new Error(`${script}.sh failed:\n${r.output.slice(-2000)}`);
  }
  const steps = await labSteps(5);
  const cache = new CredentialCache();
  const totals: number[] = [];
  const sequentialTotals: number[] = [];
  const perStep = new Map<number, { ms: number[]; calls: number[] }>();
  let cold: number | undefined;
  for (let run = 0; run <= RUNS; run++) {
    const t0 = performance.now();
    const connection = await connect({ target: "sandbox", region: "us-east-1", endpoint: sb.endpoint, roleArn, externalId: EXTERNAL_ID, userId: "bench", baseCredentials: grader, cache });
    // Odd runs go one step at a time, which counts each step's calls; even runs are what the
    // platform does, all five steps at once. Both are timed.
    const sequential = run % 2 === 1;
    let seen = 0;
    const stepCalls = new Map<number, number>();
    const report = await runSteps(
      { lab: "order-system", connection, sequential, onStep: (s) => { stepCalls.set(s.step, connection.calls.total - seen); seen = connection.calls.total; } },
      steps,
    );
    const ms = performance.now() - t0;
    if (!report.passed) throw new Error(`run ${run} did not pass: ${JSON.stringify(report.steps.map((s) => [s.step, s.status]))}`);
    if (run === 0) {
      cold = ms; // first run: SDK clients, AssumeRole, asl-validator's schema compile
      continue;
    }
    (sequential ? sequentialTotals : totals).push(ms);
    if (!sequential) continue;
    for (const s of report.steps) {
      const e = perStep.get(s.step) ?? { ms: [], calls: [] };
      e.ms.push(s.durationMs);
      e.calls.push(stepCalls.get(s.step) ?? 0);
      perStep.set(s.step, e);
    }
  }
  console.log(`\nSteps 1-5, ${RUNS} warm runs (plus one cold run of ${cold?.toFixed(1)} ms), connection setup included:`);
  console.log(`  all five steps at once (as the platform runs them), ${totals.length} runs: median ${median(totals).toFixed(1)} ms, p90 ${p90(totals).toFixed(1)} ms, min ${Math.min(...totals).toFixed(1)} ms`);
  console.log(`  one step after another, ${sequentialTotals.length} runs: median ${median(sequentialTotals).toFixed(1)} ms, p90 ${p90(sequentialTotals).toFixed(1)} ms`);
  console.log("  per step (one step after another):");
  for (const [step, e] of perStep) {
    console.log(`    step ${step}: median ${median(e.ms).toFixed(0)} ms, ${median(e.calls)} AWS calls (after the steps before it)`);
  }
  console.log(`  AWS calls per run of steps 1-5: ${[...perStep.values()].reduce((n, e) => n + median(e.calls), 0)} (steps checked together share what they read: queues, topic and function lists, the caller identity)`);
  const alone: string[] = [];
  for (const s of steps) {
    const connection = await connect({ target: "sandbox", region: "us-east-1", endpoint: sb.endpoint, roleArn, externalId: EXTERNAL_ID, userId: "bench", baseCredentials: grader, cache });
    await runSteps({ lab: "order-system", connection }, [s]);
    alone.push(`step ${s.checker.step}: ${connection.calls.total}`);
  }
  console.log(`  AWS calls per step checked alone: ${alone.join(", ")}`);
  console.log(`  sts:AssumeRole calls over ${RUNS + 1} runs: ${cache.assumeRoleCalls}`);
} finally {
  await sb.kill("SIGTERM");
}
