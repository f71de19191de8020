// What an admin can do to other accounts. Each function checks the actor itself, so a page or
// an API route cannot forget to.
import { audit } from "./audit";
import { passwordSchema, hashPassword } from "./auth/password";
import { isRole, type Role } from "./auth/roles";
import { db } from "./db/client";
import { ForbiddenError, InvalidTokenError, NotFoundError } from "./errors";
import { hashToken, newToken } from "./tokens";
import type { CurrentUser } from "./auth/session";

export const RESET_LINK_TTL_MS = 24 * 60 * 60 * 1000;

function assertAdmin(actor: CurrentUser) {
  if (actor.role !== "admin") throw new ForbiddenError();
}

/** Admins make instructors (and take it back). Admin rights are given only by `npm run create-admin`. */
export async function setUserRole(actor: CurrentUser, userId: string, role: Role): Promise<void> {
  assertAdmin(actor);
  if (!isRole(role) || role === "admin") throw new ForbiddenError("Admins are made with `npm run create-admin`, not from the site.");
  if (userId === actor.id) throw new ForbiddenError("You cannot change your own role.");
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundError("That user");
  if (user.role === "admin") throw new ForbiddenError("Another admin's role cannot be changed from the site.");
  if (user.role === role) return;
  await db.user.update({ where: { id: userId }, data: { role } });
  await audit({ actorId: actor.id, action: "user.role.set", subjectId: userId, details: { from: user.role, to: role } });
}

/** Issues a one-time reset link; the token is returned once and only its hash is kept. */
export async function createPasswordResetToken(actor: CurrentUser, userId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  assertAdmin(actor);
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new NotFoundError("That user");
  const token = newToken();
  const expiresAt = new Date(now.getTime() + RESET_LINK_TTL_MS);
  await db.$transaction([
    // A new link replaces any unused older one.
    db.passwordResetToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } }),
    db.passwordResetToken.create({ data: { userId, tokenHash: hashToken(token), expiresAt, createdById: actor.id } }),
  ]);
  await audit({ actorId: actor.id, action: "user.password-reset-link.create", subjectId: userId, details: { expiresAt: expiresAt.toISOString() } });
  return { token, expiresAt };
}

/** Who a reset token is for, if it can still be used. */
export async function findUsableResetToken(token: string, now = new Date()) {
  if (typeof token !== "string" || token.length < 20 || token.length > 100) return null;
  const row = await db.passwordResetToken.findUnique({ where: { tokenHash: hashToken(token) }, include: { user: { select: { email: true } } } });
  if (!row || row.usedAt || row.expiresAt <= now) return null;
  return row;
}

/** Sets the new password and spends the token in one transaction; every old session ends. */
export async function resetPasswordWithToken(token: string, newPassword: string, now = new Date()): Promise<void> {
  const password = passwordSchema.parse(newPassword);
  const row = await findUsableResetToken(token, now);
  if (!row) throw new InvalidTokenError();
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    // Spend the token only if nobody else has meanwhile: a link works exactly once.
    const spent = await tx.passwordResetToken.updateMany({ where: { id: row.id, usedAt: null }, data: { usedAt: now } });
    if (spent.count !== 1) throw new InvalidTokenError();
    await tx.user.update({ where: { id: row.userId }, data: { passwordHash, sessionVersion: { increment: 1 } } });
  });
  await audit({ actorId: null, action: "user.password.reset", subjectId: row.userId });
}
