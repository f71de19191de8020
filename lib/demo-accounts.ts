// Demo accounts for a local install (or DEMO=1), documented in the README. Never in hosted mode
// unless asked: their passwords are public.
import type { PrismaClient } from "@prisma/client";
import { hashPassword } from "./auth/password";
import type { Role } from "./auth/roles";

export const DEMO_ACCOUNTS: { email: string; name: string; role: Role; password: string }[] = [
  { email: "learner@example.com", name: "Demo Learner", role: "learner", password: "learner-demo-pass" },
  { email: "instructor@example.com", name: "Demo Instructor", role: "instructor", password: "instructor-demo-pass" },
];

/** Creates the demo accounts that are missing; leaves existing ones (and changed passwords) alone. */
export async function seedDemoAccounts(db: PrismaClient): Promise<string[]> {
  const created: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    const exists = await db.user.findUnique({ where: { email: account.email }, select: { id: true } });
    if (exists) continue;
    await db.user.create({ data: { email: account.email, name: account.name, role: account.role, passwordHash: await hashPassword(account.password) } });
    created.push(account.email);
  }
  return created;
}
