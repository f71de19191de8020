import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { requireUser } from "@/lib/auth/session";
import { getLab, isKnownLab } from "@/lib/content/lab";
import { getLabProgress } from "@/lib/progress";
import { LabProgressBar } from "../../components/lab-progress-bar";
import { StepStatusBadge } from "../../components/step-status-badge";

type Props = { params: Promise<{ lab: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { lab } = await params;
  return { title: isKnownLab(lab) ? (await getLab(lab)).title : "Not found" };
}

export default async function LabPage({ params }: Props) {
  const { lab: labId } = await params;
  if (!isKnownLab(labId)) notFound();
  const user = await requireUser(`/labs/${labId}`);
  const lab = await getLab(labId);
  const progress = await getLabProgress(user.id, lab.id, lab.steps.length);
  return (
    <>
      <h1>{lab.title}</h1>
      <p className="lede">{lab.summary}</p>
      <LabProgressBar progress={progress} />
      <h2>Steps</h2>
      <ol className="steps-list">
        {lab.steps.map((step, i) => {
          const p = progress[i]!;
          return (
            <li key={step.step}>
              <span className="step-number">Step {step.step}</span>
              <div className="step-main">
                <Link href={`/labs/${lab.id}/steps/${step.step}`}>{step.title}</Link>
                <p>{step.summary}</p>
              </div>
              <StepStatusBadge progress={p} />
            </li>
          );
        })}
      </ol>
      <section className="prose" aria-labelledby="before-you-start">
        <h2 id="before-you-start">Before you start</h2>
        <div dangerouslySetInnerHTML={{ __html: lab.html }} />
      </section>
    </>
  );
}
