// Who is asking: every page and action asks here, on the server, and the database has the last
// word (role changes apply at once; a password change signs out every older session).
import { getServerSession } from "next-auth";
import { redirect, notFound } from "next/navigation";
import { cache } from "react";
import { db } from "../db/client";
import { authOptions } from "./options";
import { isRole, roleAtLeast, type Role } from "./roles";

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await getServerSession(authOptions);
  const id = session?.user?.id;
  if (!id) return null;
  const user = await db.user.findUnique({ where: { id }, select: { id: true, email: true, name: true, role: true, sessionVersion: true } });
  if (!user || !isRole(user.role)) return null;
  if (session.sv !== user.sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
});

/** The signed-in user, or a redirect to sign-in that comes back to `returnTo`. */
export async function requireUser(returnTo: string): Promise<CurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** Like requireUser, and a 404 for users below `role`: the page's existence is not advertised. */
export async function requireRole(role: Role, returnTo: string): Promise<CurrentUser> {
  const user = await requireUser(returnTo);
  if (!roleAtLeast(user.role, role)) notFound();
  return user;
}
