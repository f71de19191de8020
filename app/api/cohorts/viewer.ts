// The signed-in user as a cohort Viewer, for the route handlers beside this file.
import { getCurrentUser } from "@/lib/auth/session";
import type { Viewer } from "@/lib/cohorts";

export async function currentViewer(): Promise<Viewer | null> {
  const user = await getCurrentUser();
  return user ? { id: user.id, role: user.role } : null;
}
