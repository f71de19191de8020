import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { getLab, isKnownLab, STEP_COUNT, type Lab, type LabStep } from "@/lib/content/lab";
import { listAttempts } from "@/lib/grading/history";
import { getLabProgress } from "@/lib/progress";
import { LabProgressBar } from "../../../../components/lab-progress-bar";
import { StepHints } from "../../../../components/step-hints";
import { StepStatusBadge } from "../../../../components/step-status-badge";
import { AttemptHistory } from "./attempt-history";
import { CheckPanel } from "./check-panel";

type Props = { params: Promise<{ lab: string; step: string }> };

// Only "1" … "6": anything else ("07", "1.0", "%00", "../x") is a 404, before any lookup.
const stepParam = z.string().regex(new RegExp(`^[1-${STEP_COUNT}]$`)).transform(Number);

async function resolve(params: Props["params"]): Promise<{ lab: Lab; step: LabStep } | null> {
  const { lab: labId, step: raw } = await params;
  const parsed = stepParam.safeParse(raw);
  if (!isKnownLab(labId) || !parsed.success) return null;
  const lab = await getLab(labId);
  const step = lab.steps.find((s) => s.step === parsed.data);
  return step ? { lab, step } : null;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const found = await resolve(params);
  return { title: found ? `Step ${found.step.step}: ${found.step.title}` : "Not found" };
}

const RESOURCE_LABELS: Record<string, string> = {
  topic: "Topic",
  queues: "Queues",
  dlqs: "Dead-letter queues",
  rule: "Rule",
  bus: "Event bus",
  function: "Function",
  stateMachine: "State machine",
  functions: "Functions",
  topics: "Topics",
};

export default async function StepPage({ params }: Props) {
  const found = await resolve(params);
  if (!found) notFound();
  const { lab, step } = found;
  const user = await requireUser(`/labs/${lab.id}/steps/${step.step}`);
  const labProgress = await getLabProgress(user.id, lab.id, lab.steps.length);
  const progress = labProgress[step.step - 1]!;
  const attempts = await listAttempts(user.id, lab.id, step.step);
  const prev = lab.steps.find((s) => s.step === step.step - 1);
  const next = lab.steps.find((s) => s.step === step.step + 1);

  return (
    <article className="prose">
      <p className="step-meta">
        <Link href={`/labs/${lab.id}`}>{lab.title}</Link> · Step {step.step} of {lab.steps.length}
      </p>
      <div className="step-header">
        <h1>{step.title}</h1>
        <span data-testid="step-status">
          <StepStatusBadge progress={progress} />
        </span>
      </div>
      <p className="lede">{step.summary}</p>
      <p className="step-meta" data-testid="step-progress">
        {progress.attempts === 0
          ? "You have not checked this step yet."
          : `Checked ${progress.attempts} ${progress.attempts === 1 ? "time" : "times"}; last on ${progress.lastCheckedAt?.toISOString().slice(0, 16).replace("T", " ")} UTC.`}
      </p>
      <section aria-labelledby="resources-heading">
        <h2 id="resources-heading">Names to use</h2>
        <dl className="resources">
          {Object.entries(step.resources).map(([role, value]) => (
            <div key={role}>
              <dt>{RESOURCE_LABELS[role] ?? role}</dt>
              <dd>{Array.isArray(value) ? value.join(", ") : value}</dd>
            </div>
          ))}
        </dl>
      </section>
      <div dangerouslySetInnerHTML={{ __html: step.html }} />
      <StepHints hints={step.hints} />
      <CheckPanel lab={lab.id} step={step.step} hasProbe={step.step === 6} />
      <LabProgressBar progress={labProgress} />
      <AttemptHistory attempts={attempts} />
      <nav className="step-nav" aria-label="Steps">
        {prev ? <Link href={`/labs/${lab.id}/steps/${prev.step}`}>← Step {prev.step}: {prev.title}</Link> : <span />}
        {next ? <Link href={`/labs/${lab.id}/steps/${next.step}`}>Step {next.step}: {next.title} →</Link> : <span />}
      </nav>
    </article>
  );
}
