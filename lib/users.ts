// Accounts: creation, authentication and password changes. Pages and scripts call these; none of
// them touches password hashes directly.
import { Prisma, type User } from "@prisma/client";
import { z } from "zod";
import { passwordSchema, hashPassword, verifyPassword, dummyPasswordHash } from "./auth/password";
import type { Role } from "./auth/roles";
import { db } from "./db/client";
import { DuplicateEmailError, InvalidCredentialsError } from "./errors";

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That email address is too long.")
  .pipe(z.email("Enter a valid email address."));

export const nameSchema = z.string().trim().min(1, "Enter your name.").max(80, "Use at most 80 characters for your name.");

export const signUpSchema = z
  .object({ name: nameSchema, email: emailSchema, password: passwordSchema, confirm: z.string() })
  .refine((v) => v.password === v.confirm, { message: "The two passwords do not match.", path: ["confirm"] });

export type PublicUser = Pick<User, "id" | "email" | "name" | "role" | "createdAt">;
export const publicUserSelect = { id: true, email: true, name: true, role: true, createdAt: true } as const;

export async function createUser(input: { email: string; name: string; password: string; role?: Role }): Promise<PublicUser> {
  const email = emailSchema.parse(input.email);
  const passwordHash = await hashPassword(passwordSchema.parse(input.password));
  try {
    return await db.user.create({
      data: { email, name: nameSchema.parse(input.name), passwordHash, role: input.role ?? "learner" },
      select: publicUserSelect,
    });
  } catch (err) {
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") throw new DuplicateEmailError();
    throw err;
  }
}

/** The user for this email and password, or null. Takes about as long for an unknown email. */
export async function authenticate(rawEmail: string, password: string): Promise<(PublicUser & { sessionVersion: number }) | null> {
  const email = emailSchema.safeParse(rawEmail);
  if (!email.success || typeof password !== "string" || password.length > 200) return null;
  const user = await db.user.findUnique({ where: { email: email.data } });
  if (!user) {
    await verifyPassword(await dummyPasswordHash(), password);
    return null;
  }
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt, sessionVersion: user.sessionVersion };
}

/** Changes a password after checking the current one; every existing session of the user ends. */
export async function changePassword(userId: string, current: string, next: string): Promise<void> {
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user || !(await verifyPassword(user.passwordHash, current))) {
    throw new InvalidCredentialsError("Your current password is not correct.");
  }
  const passwordHash = await hashPassword(passwordSchema.parse(next));
  await db.user.update({ where: { id: userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
}
