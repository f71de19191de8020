// The grading service as the app, the API and the CLI's --remote use it: the learner's
// connection comes from lib/connections (the Connect page's store).
import { loadConnectOptions } from "../connections";
import { runGrade } from "./grade";
import type { GradeDeps, GradeInput, GradeOutcome } from "./types";

export { listAttempts } from "./history";
export { rateLimitKey, runGrade } from "./grade";
export type * from "./types";

export function grade(input: GradeInput, deps: Partial<GradeDeps> = {}): Promise<GradeOutcome> {
  return runGrade(input, { resolveConnection: loadConnectOptions, ...deps });
}
