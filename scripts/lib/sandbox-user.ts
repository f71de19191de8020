// SANDBOX_USER: the account the sandbox runs as when `npm start` runs as root, so that the
// sandbox (and anything that escapes into it) cannot read the site's secrets file or database,
// which stay root's with mode 0600.
import { execFileSync } from "node:child_process";

export interface SandboxUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

/** One passwd entry (name or numeric id), through NSS so LDAP and the like count; null when there is none. */
export function lookupUser(nameOrId: string): SandboxUser | null {
  let line: string;
  try {
    line = execFileSync("getent", ["passwd", nameOrId], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim().split("\n")[0] ?? "";
  } catch {
    return null;
  }
  const [name, , uid, gid, , home] = line.split(":");
  if (!name || !uid || !gid) return null;
  return { name, uid: Number(uid), gid: Number(gid), home: home || "/" };
}

/**
 * The user to switch the sandbox to, or null to run it as this process's user. Switching needs
 * root; asking for it without root is refused rather than ignored, since the operator counts on it.
 */
export function resolveSandboxUser(setting: string | undefined, currentUid = process.getuid?.() ?? -1): SandboxUser | null {
  if (!setting) return null;
  const user = lookupUser(setting);
  if (!user) throw new Error(`SANDBOX_USER=${setting}: there is no such user on this machine.`);
  if (user.uid === currentUid) return null;
  if (currentUid !== 0) throw new Error(`SANDBOX_USER=${setting} needs \`npm start\` to run as root (it switches the sandbox to that user); leave it unset otherwise.`);
  if (user.uid === 0) return null;
  return user;
}
