import type { StepProgressView } from "@/lib/progress";

export function LabProgressBar({ progress }: { progress: StepProgressView[] }) {
  const passed = progress.filter((p) => p.state === "pass").length;
  const percent = Math.round((passed / Math.max(progress.length, 1)) * 100);
  return (
    <div className="progress">
      <p id="lab-progress-label">
        {passed} of {progress.length} steps passed
      </p>
      <div className="progress-bar" role="progressbar" aria-labelledby="lab-progress-label" aria-valuemin={0} aria-valuemax={progress.length} aria-valuenow={passed}>
        <span style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
