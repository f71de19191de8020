// Join codes: short enough to read aloud or type from a projector, from an alphabet without
// look-alikes (no 0/O, no 1/I), 8 characters = 40 random bits.
import { randomInt } from "node:crypto";

export const JOIN_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
export const JOIN_CODE_LENGTH = 8;

export function newJoinCode(): string {
  let code = "";
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/**
 * The code as stored, from what a learner typed: case-insensitive, spaces and dashes ignored
 * (people write "ABCD-EFGH"). Null when it cannot be a join code at all.
 */
export function normalizeJoinCode(input: string): string | null {
  if (typeof input !== "string" || input.length > 64) return null;
  const code = input.replace(/[\s-]+/g, "").toUpperCase();
  if (code.length !== JOIN_CODE_LENGTH) return null;
  for (const ch of code) if (!JOIN_CODE_ALPHABET.includes(ch)) return null;
  return code;
}
