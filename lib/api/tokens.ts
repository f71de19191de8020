// Personal API tokens: `lgr_` + 32 random bytes (base64url). Only the SHA-256 is stored, with a
// short prefix so the owner can tell tokens apart; the token itself is returned once, at creation.
import { z } from "zod";
import { audit } from "../audit";
import { isRole, type Role } from "../auth/roles";
import { db } from "../db/client";
import { DomainError, NotFoundError } from "../errors";
import { hashToken, newToken } from "../tokens";

export const TOKEN_PREFIX = "lgr_";
/** "lgr_" and 8 random characters: enough to recognise a token, far too little to guess it. */
export const DISPLAY_PREFIX_LENGTH = 12;
export const MAX_LIVE_TOKENS = 20;
/** lastUsedAt is written at most this often per token, so busy tokens cost no write per request. */
export const LAST_USED_GRANULARITY_MS = 60_000;

// 32 bytes in base64url are 43 characters without padding.
const TOKEN_SHAPE = /^lgr_[A-Za-z0-9_-]{43}$/;

export function isTokenShaped(value: string): boolean {
  return TOKEN_SHAPE.test(value);
}

export const tokenNameSchema = z
  .string()
  .trim()
  .min(1, "Give the token a name, such as the machine or CI job that will use it.")
  .max(60, "Use at most 60 characters for the token's name.")
  .regex(/^[^\u0000-\u001f\u007f]*$/, "The name cannot contain control characters.");

export class TokenLimitError extends DomainError {
  constructor() {
    super(`You already have ${MAX_LIVE_TOKENS} active tokens. Revoke one you no longer use, then create a new one.`, 409);
  }
}

/** A token as its owner's list shows it: never the token, never its hash. */
export interface ApiTokenView {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const viewSelect = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

/** Who a valid token acts for: the user as they are now in the database, and the token's id. */
export interface ApiPrincipal {
  user: { id: string; email: string; name: string; role: Role };
  tokenId: string;
}

/** Makes a token for the user. The returned token is the only copy there will ever be. */
export async function createApiToken(userId: string, rawName: string, now = new Date()): Promise<{ token: string; view: ApiTokenView }> {
  const name = tokenNameSchema.parse(rawName);
  const token = `${TOKEN_PREFIX}${newToken(32)}`;
  const prefix = token.slice(0, DISPLAY_PREFIX_LENGTH);
  const view = await db.apiToken.create({ data: { userId, name, prefix, tokenHash: hashToken(token), createdAt: now }, select: viewSelect });
  // Counted after the insert: two creations racing at 19 both see 21 and both step back, so the
  // limit holds on every database without a lock (the rarer cost is a refused create).
  const live = await db.apiToken.count({ where: { userId, revokedAt: null } });
  if (live > MAX_LIVE_TOKENS) {
    await db.apiToken.delete({ where: { id: view.id } });
    throw new TokenLimitError();
  }
  await audit({ actorId: userId, action: "api-token.create", subjectId: userId, details: { tokenId: view.id, name, prefix } });
  return { token, view };
}

/** The user's tokens, newest first, revoked ones included (they stay for the record). */
export function listApiTokens(userId: string): Promise<ApiTokenView[]> {
  return db.apiToken.findMany({ where: { userId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: viewSelect });
}

/** Revokes one of the user's own tokens (idempotent). Another user's token is "not found". */
export async function revokeApiToken(userId: string, tokenId: string, now = new Date()): Promise<ApiTokenView> {
  const row = await db.apiToken.findFirst({ where: { id: tokenId, userId }, select: viewSelect });
  if (!row) throw new NotFoundError("That token");
  if (row.revokedAt) return row;
  const updated = await db.apiToken.update({ where: { id: tokenId }, data: { revokedAt: now }, select: viewSelect });
  await audit({ actorId: userId, action: "api-token.revoke", subjectId: userId, details: { tokenId, name: row.name, prefix: row.prefix } });
  return updated;
}

/**
 * Who the token acts for, or null when it is unknown, revoked, or its user is gone (deleting a
 * user deletes their tokens) or has no valid role. Looked up by hash, so no timing comparison
 * of secrets happens here.
 */
export async function resolveApiToken(token: string, now = new Date()): Promise<ApiPrincipal | null> {
  if (!isTokenShaped(token)) return null;
  const row = await db.apiToken.findUnique({
    where: { tokenHash: hashToken(token) },
    select: { id: true, revokedAt: true, lastUsedAt: true, user: { select: { id: true, email: true, name: true, role: true } } },
  });
  if (!row || row.revokedAt || !isRole(row.user.role)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_GRANULARITY_MS) {
    const stale = new Date(now.getTime() - LAST_USED_GRANULARITY_MS);
    // Conditional, so concurrent requests write it once; a revocation in between is not undone.
    await db.apiToken.updateMany({ where: { id: row.id, revokedAt: null, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: stale } }] }, data: { lastUsedAt: now } });
  }
  return { user: { id: row.user.id, email: row.user.email, name: row.user.name, role: row.user.role }, tokenId: row.id };
}
