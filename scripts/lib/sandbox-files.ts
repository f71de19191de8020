// The sandbox's data folder (SANDBOX_DATA): apart from the site's, owned by the user the sandbox
// runs as, and holding the admin token in a 0600 file — so the token never sits in the sandbox's
// environment (/proc/<pid>/environ), which then holds no secret at all.
import fs from "node:fs";
import path from "node:path";
import type { SandboxUser } from "./sandbox-user";

const inside = (child: string, parent: string) => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);

/** Follows symlinks as far as the path exists, so a link cannot hide that two folders are one. */
function real(p: string): string {
  const abs = path.resolve(p);
  try {
    return fs.realpathSync(abs);
  } catch {
    const parent = path.dirname(abs);
    return parent === abs ? abs : path.join(real(parent), path.basename(abs));
  }
}

/** Refuses a SANDBOX_DATA that is, or holds, one of the site's folders: the sandbox would own the site's secrets. */
export function checkSandboxDataApart(sandboxData: string, siteDirs: string[]): void {
  const data = real(sandboxData);
  for (const dir of siteDirs.map(real)) {
    if (inside(dir, data)) {
      throw new Error(`SANDBOX_DATA (${sandboxData}) would hold the site's own folder ${dir}, and with it the site's secrets: give the sandbox a folder of its own (the default is $DATA_DIR/sandbox).`);
    }
  }
}

function chownTree(p: string, uid: number, gid: number): void {
  fs.lchownSync(p, uid, gid);
  if (!fs.lstatSync(p).isDirectory()) return;
  for (const entry of fs.readdirSync(p)) chownTree(path.join(p, entry), uid, gid);
}

/**
 * Creates SANDBOX_DATA, writes the admin token into it and, for a SANDBOX_USER, hands the folder
 * to that user and lets it pass (not list) through the site's folders on the way there.
 */
export function prepareSandboxData(sandboxData: string, adminToken: string, user: SandboxUser | null, siteDirs: string[]): void {
  const data = path.resolve(sandboxData);
  fs.mkdirSync(data, { recursive: true, mode: 0o700 });
  fs.chmodSync(data, 0o700);
  fs.writeFileSync(path.join(data, "admin-token"), adminToken + "\n", { mode: 0o600 });
  fs.chmodSync(path.join(data, "admin-token"), 0o600);
  if (!user) return;
  chownTree(data, user.uid, user.gid);
  for (const dir of siteDirs.map((d) => path.resolve(d))) {
    if (!inside(data, dir) || data === dir) continue;
    // Search permission only: the sandbox's user reaches its folder but cannot list the site's.
    for (let d = path.dirname(data); inside(d, dir); d = path.dirname(d)) {
      fs.chmodSync(d, fs.statSync(d).mode | 0o001);
      if (d === dir) break;
    }
  }
}
