// The cohort a dashboard page is about, looked up once per request (page and metadata share it)
// through lib/cohorts, which decides who may see it. Anything the viewer may not see is a 404:
// a cohort's existence is not advertised.
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireUser, type CurrentUser } from "@/lib/auth/session";
import { roleAtLeast } from "@/lib/auth/roles";
import { getCohortForViewer } from "@/lib/cohorts";
import type { CohortSummary } from "@/lib/cohorts/types";
import { ForbiddenError, NotFoundError } from "@/lib/errors";

export const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** True for the errors lib/cohorts uses to refuse: both become the same 404. */
export function isRefusal(err: unknown): boolean {
  return err instanceof NotFoundError || err instanceof ForbiddenError;
}

const lookUp = cache(async (viewer: CurrentUser, id: string): Promise<CohortSummary | null> => {
  if (!ID_PATTERN.test(id) || !roleAtLeast(viewer.role, "instructor")) return null;
  try {
    return await getCohortForViewer(viewer, id);
  } catch (err) {
    if (isRefusal(err)) return null;
    throw err;
  }
});

/** The signed-in instructor or admin and the cohort, or a redirect to sign in, or a 404. */
export async function loadCohort(id: string, returnTo: string): Promise<{ viewer: CurrentUser; cohort: CohortSummary }> {
  const viewer = await requireUser(returnTo);
  const cohort = await lookUp(viewer, id);
  if (!cohort) notFound();
  return { viewer, cohort };
}

/** For metadata: the cohort's name when the viewer may see it, without redirecting. */
export async function cohortTitle(viewer: CurrentUser | null, id: string, fallback: string): Promise<string> {
  if (!viewer) return fallback;
  return (await lookUp(viewer, id))?.name ?? fallback;
}
