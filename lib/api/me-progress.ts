// GET /api/v1/me/progress: the token's user's progress in every lab, read from StepProgress
// (the same summary the pages show; never an Attempt scan).
import { db } from "../db/client";
import { getLab, LABS } from "../content/lab";
import { toView, type StepState } from "../progress";
import { json, type ApiCall } from "./route";

export interface StepProgressDoc {
  step: number;
  slug: string;
  title: string;
  state: StepState;
  regressed: boolean;
  attempts: number;
  lastCheckedAt: string | null;
  firstPassedAt: string | null;
}

export interface LabProgressDoc {
  lab: string;
  title: string;
  steps: StepProgressDoc[];
  /** Steps whose latest check passed. */
  passed: number;
  total: number;
}

export interface MeProgressDoc {
  user: { id: string; email: string; name: string };
  labs: LabProgressDoc[];
}

export async function progressOf(user: { id: string; email: string; name: string }): Promise<MeProgressDoc> {
  const rows = await db.stepProgress.findMany({ where: { userId: user.id } });
  const labs = await Promise.all(
    LABS.map(async (labId): Promise<LabProgressDoc> => {
      const lab = await getLab(labId);
      const byStep = new Map(rows.filter((r) => r.lab === labId).map((r) => [r.step, r]));
      const steps = lab.steps.map((s): StepProgressDoc => {
        const row = byStep.get(s.step);
        const view = toView(s.step, row);
        return {
          step: s.step,
          slug: s.slug,
          title: s.title,
          state: view.state,
          regressed: view.regressed,
          attempts: view.attempts,
          lastCheckedAt: view.lastCheckedAt?.toISOString() ?? null,
          firstPassedAt: row?.firstPassedAt?.toISOString() ?? null,
        };
      });
      return { lab: labId, title: lab.title, steps, passed: steps.filter((s) => s.state === "pass").length, total: steps.length };
    }),
  );
  return { user: { id: user.id, email: user.email, name: user.name }, labs };
}

export async function readMyProgress({ principal }: ApiCall<Record<string, never>>): Promise<Response> {
  return json(await progressOf(principal.user));
}
