import { STATE_LABELS, type StepProgressView } from "@/lib/progress";

export function StepStatusBadge({ progress }: { progress: StepProgressView }) {
  const label = progress.regressed ? "Passed earlier, failing now" : STATE_LABELS[progress.state];
  return <span className={`badge badge-${progress.state}`}>{label}</span>;
}
