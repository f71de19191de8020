// `npm run seed:cohort -- --learners 1000 --attempts 20`: a large cohort for the dashboard
// benchmark (bench/dashboard.ts) and for trying the dashboard by hand. Uses the database the app
// uses (DATABASE_URL, else the SQLite file under DATA_DIR), applying migrations first.
//
// It makes (or reuses) the instructor bench-instructor@example.com with the development password
// "bench-instructor-pass", a new cohort, N learners (bench-learner-<run>-<i>@example.com, password
// "bench-learner-pass") and, for every learner and each of the six steps, M attempts with
// realistic results JSON and the matching StepProgress row. Known passwords: it refuses to run
// with DEPLOYMENT_MODE=hosted.
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { prepareDatabase, prepareEnvironment } from "./lib/prepare";

const BENCH_INSTRUCTOR = { email: "bench-instructor@example.com", password: "bench-instructor-pass", name: "Bench Instructor" };
const LEARNER_PASSWORD = "bench-learner-pass";
const LAB = "order-system";
const STEPS = 6;
const USAGE = "Usage: npm run seed:cohort -- [--learners 1000] [--attempts 20] [--name \"Cohort name\"]";

// Checks as the real checkers name them (a few per step), so stored results look like real ones.
const CHECKS: Record<number, { id: string; title: string; fail: string; hint: string }[]> = {
  1: [{ id: "step1.topic-exists", title: "Topic order-events exists", fail: "There is no SNS topic named order-events in us-east-1.", hint: "Create a standard topic named order-events." }],
  2: [
    { id: "step2.queues-exist", title: "Queues exist", fail: "The queue shipping-orders does not exist.", hint: "Create the queues inventory-updates and shipping-orders." },
    { id: "step2.redrive-inventory-updates", title: "inventory-updates has a DLQ", fail: "The queue inventory-updates has no RedrivePolicy.", hint: "Set a RedrivePolicy naming inventory-updates-dlq with maxReceiveCount 5." },
    { id: "step2.visibility-timeout", title: "Visibility timeout of at least 30 s", fail: "The queue shipping-orders has a visibility timeout of 10 s.", hint: "Set VisibilityTimeout to 30 or more." },
  ],
  3: [
    { id: "step3.inventory-subscribed", title: "inventory-updates subscribed", fail: "inventory-updates is not subscribed to order-events.", hint: "Subscribe the queue to the topic with a filter policy." },
    { id: "step3.shipping-filter-accepts-1000", title: "Shipping receives an order of 1000", fail: "An express order_value 1000 would not reach shipping-orders.", hint: "Use a numeric filter: order_value >= 1000." },
    { id: "step3.queue-policy", title: "Only this topic may send", fail: "The policy of shipping-orders lets any topic send messages.", hint: "Add a Condition on aws:SourceArn naming the topic." },
  ],
  4: [
    { id: "step4.rule-enabled", title: "Rule high-value-orders is enabled", fail: "The rule high-value-orders does not exist on the default bus.", hint: "Create the rule on the default event bus." },
    { id: "step4.pattern-matches-1000", title: "Pattern matches an order of 1000", fail: "The pattern does not match an order with amount 1000.", hint: "Use a numeric matcher: {\"numeric\": [\">=\", 1000]}." },
  ],
  5: [
    { id: "step5.definition-valid", title: "Definition is valid ASL", fail: "The definition of order-processing is not valid ASL.", hint: "Validate it with the Step Functions console or asl-validator." },
    { id: "step5.parallel-result-path", title: "Parallel keeps the order", fail: "The Parallel state has no ResultPath, so the Choice cannot read $.order.isPremium.", hint: "Set ResultPath on the Parallel state." },
    { id: "step5.premium-path", title: "A premium order ships express", fail: "A premium order did not reach ship-express.", hint: "Check the Choice rule on $.order.isPremium." },
  ],
  6: [
    { id: "step6.fan-out", title: "Probe orders reach the right queues", fail: "The probe order of 1500 never reached shipping-orders.", hint: "Send order_value as a Number attribute." },
    { id: "step6.execution", title: "A premium execution succeeds", fail: "The execution failed in validate-order.", hint: "Open the execution history to see which state failed." },
  ],
};

// A small deterministic generator: the same run makes the same data, and no dependency.
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4_294_967_296;
  };
}

type Status = "pass" | "fail" | "error";

function resultsFor(step: number, status: Status, random: () => number): string {
  const checks = CHECKS[step]!;
  const failing = status === "pass" ? -1 : Math.floor(random() * checks.length);
  return JSON.stringify(
    checks.map((c, i) => {
      const s = i === failing ? (status === "error" ? "error" : "fail") : "pass";
      if (s === "pass") return { id: c.id, title: c.title, status: s, message: `${c.title}: as expected.` };
      if (s === "error") return { id: c.id, title: c.title, status: s, message: "The grader role may not call sqs:GetQueueAttributes.", hint: "Add the action to LabGraderRole's policy." };
      return { id: c.id, title: c.title, status: s, message: c.fail, hint: c.hint };
    }),
  );
}

/** Gaps between attempts from a few seconds to a few hours, so time to complete spans every bucket. */
function gapMs(random: () => number): number {
  const r = random();
  if (r < 0.5) return 20_000 + random() * 120_000;
  if (r < 0.85) return 300_000 + random() * 1_800_000;
  if (r < 0.97) return 3_600_000 + random() * 10_800_000;
  return 86_400_000 * (1 + random() * 4);
}

interface Generated {
  attempts: { userId: string; lab: string; step: number; status: Status; results: string; durationMs: number; source: string; createdAt: Date }[];
  progress: { userId: string; lab: string; step: number; status: Status; attempts: number; firstAttemptAt: Date; firstPassedAt: Date | null; lastCheckedAt: Date; lastPassedAt: Date | null }[];
}

function generateLearner(userId: string, attemptsPerStep: number, random: () => number, now: number): Generated {
  const out: Generated = { attempts: [], progress: [] };
  // Each learner started sometime in the last 30 days and works through the steps in order; a
  // timeline that would run past now is squeezed (order kept) to end a minute ago.
  const start = now - 30 * 86_400_000 * random() - 86_400_000;
  const times: number[] = [];
  let t = start;
  for (let i = 0; i < STEPS * attemptsPerStep; i++) times.push((t += gapMs(random)));
  const end = now - 60_000;
  const scale = t > end ? (end - start) / (t - start) : 1;
  const at = (i: number) => new Date(start + (times[i]! - start) * scale);

  for (let step = 1; step <= STEPS; step++) {
    // Most pass after a few tries; some only later; some never (stuck); some regress at the end.
    const r = random();
    const passAt = r < 0.6 ? Math.floor(random() * 4) : r < 0.85 ? 4 + Math.floor(random() * 10) : attemptsPerStep;
    const regress = random() < 0.1;
    let firstPassedAt: Date | null = null;
    let lastPassedAt: Date | null = null;
    let status: Status = "fail";
    const base = (step - 1) * attemptsPerStep;
    for (let i = 0; i < attemptsPerStep; i++) {
      const createdAt = at(base + i);
      status = i < passAt ? (random() < 0.1 ? "error" : "fail") : regress && i === attemptsPerStep - 1 ? "fail" : "pass";
      if (status === "pass") {
        firstPassedAt ??= createdAt;
        lastPassedAt = createdAt;
      }
      out.attempts.push({ userId, lab: LAB, step, status, results: resultsFor(step, status, random), durationMs: 80 + Math.floor(random() * 900), source: random() < 0.8 ? "web" : "cli", createdAt });
    }
    out.progress.push({ userId, lab: LAB, step, status, attempts: attemptsPerStep, firstAttemptAt: at(base), firstPassedAt, lastCheckedAt: at(base + attemptsPerStep - 1), lastPassedAt });
  }
  return out;
}

function positiveInt(raw: string | undefined, fallback: number, name: string, max: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} must be a whole number from 1 to ${max}. ${USAGE}`);
  return n;
}

async function main() {
  const { values } = parseArgs({ options: { learners: { type: "string" }, attempts: { type: "string" }, name: { type: "string" }, help: { type: "boolean" } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const learners = positiveInt(values.learners, 1000, "learners", 100_000);
  const attemptsPerStep = positiveInt(values.attempts, 20, "attempts", 500);

  prepareEnvironment();
  await prepareDatabase({ quiet: true });
  // Imported late: lib/env reads process.env once, after prepareEnvironment has filled it.
  const { env } = await import("../lib/env");
  if (env.DEPLOYMENT_MODE === "hosted") throw new Error("This script creates accounts with known passwords: it does not run with DEPLOYMENT_MODE=hosted.");
  const { db } = await import("../lib/db/client");
  const { hashPassword } = await import("../lib/auth/password");
  const started = Date.now();

  const instructor =
    (await db.user.findUnique({ where: { email: BENCH_INSTRUCTOR.email } })) ??
    (await db.user.create({ data: { email: BENCH_INSTRUCTOR.email, name: BENCH_INSTRUCTOR.name, role: "instructor", passwordHash: await hashPassword(BENCH_INSTRUCTOR.password) } }));
  if (instructor.role === "learner") await db.user.update({ where: { id: instructor.id }, data: { role: "instructor" } });
  const run = randomBytes(3).toString("hex");
  const { newJoinCode } = await import("../lib/cohorts/join-code");
  const cohort = await db.cohort.create({ data: { name: values.name ?? `Benchmark cohort ${run}`, joinCode: newJoinCode(), ownerId: instructor.id } });

  // One hash for every learner: argon2 is deliberately slow, and these are throwaway accounts.
  const learnerHash = await hashPassword(LEARNER_PASSWORD);
  const now = Date.now();
  const random = rng(now % 2_147_483_647);
  const width = String(learners).length;
  const users = Array.from({ length: learners }, (_, i) => ({
    id: `bench${run}${String(i).padStart(width, "0")}`,
    email: `bench-learner-${run}-${String(i + 1).padStart(width, "0")}@example.com`,
    name: `Learner ${String(i + 1).padStart(width, "0")} ${["Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Margaret", "Linus"][i % 8]}`,
    passwordHash: learnerHash,
  }));

  let attemptRows = 0;
  let progressRows = 0;
  const BATCH = 50; // learners per transaction: 50 × 6 × 20 = 6,000 attempts
  for (let i = 0; i < users.length; i += BATCH) {
    const slice = users.slice(i, i + BATCH);
    const generated = slice.map((u) => generateLearner(u.id, attemptsPerStep, random, now));
    const attempts = generated.flatMap((g) => g.attempts);
    const progress = generated.flatMap((g) => g.progress);
    await db.$transaction(
      async (tx) => {
        await tx.user.createMany({ data: slice });
        await tx.membership.createMany({ data: slice.map((u, k) => ({ cohortId: cohort.id, userId: u.id, joinedAt: new Date(now - 31 * 86_400_000 + (i + k) * 1000) })) });
        for (let k = 0; k < attempts.length; k += 2000) await tx.attempt.createMany({ data: attempts.slice(k, k + 2000) });
        await tx.stepProgress.createMany({ data: progress });
      },
      { timeout: 120_000 },
    );
    attemptRows += attempts.length;
    progressRows += progress.length;
    if ((i / BATCH) % 5 === 4) process.stdout.write(`  ${i + slice.length} of ${learners} learners…\n`);
  }
  await db.$disconnect();

  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(`Seeded cohort "${cohort.name}" (id ${cohort.id}, join code ${cohort.joinCode}) in ${seconds} s:`);
  console.log(`  ${learners} learners, ${attemptRows} attempts, ${progressRows} step-progress rows.`);
  console.log(`  Sign in as ${BENCH_INSTRUCTOR.email} with the development password "${BENCH_INSTRUCTOR.password}" and open /cohorts/${cohort.id}.`);
  // One machine-readable line for bench/dashboard.ts.
  console.log(`SEED_RESULT ${JSON.stringify({ cohortId: cohort.id, learners, attempts: attemptRows, progress: progressRows, seconds: Number(seconds) })}`);
}

main().catch((err: unknown) => {
  console.error(`Seeding failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
