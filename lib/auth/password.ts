// Argon2id through @node-rs/argon2: a maintained binding, prebuilt for each platform inside the
// npm package itself (nothing downloads at install), and free of bcrypt's 72-byte limit.
import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";

export const passwordSchema = z
  .string()
  .min(10, "Use at least 10 characters for your password.")
  .max(200, "Use at most 200 characters for your password.");

export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

/** False for a wrong password and for a malformed stored hash alike: never throws to the caller. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}

// Compared against when the email is unknown, so a sign-in takes as long either way.
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hash("not-a-real-password-just-for-timing");
  return dummyHash;
}
