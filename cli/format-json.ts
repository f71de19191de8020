// `--format json`: the LabReport exactly (ARCHITECTURE.md, "Contracts"), nothing added, so
// scripts and the API read the same shape.
import type { LabReport } from "@/checkers/types";

export function formatJson(report: LabReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}
