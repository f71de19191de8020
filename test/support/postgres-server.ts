// A throwaway PostgreSQL server for the data-layer tests: Debian's postgresql binaries, a fresh
// cluster in a temp folder, trust auth on 127.0.0.1 and a random port. Run as the postgres user
// when we are root (postgres refuses to run as root).
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./free-port";

export interface PostgresServer {
  url: (database?: string) => string;
  stop: () => void;
}

/** The folder of initdb/pg_ctl, or null with the reason it is missing. */
export function findPostgresBin(): { dir: string } | { missing: string } {
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return { missing: "PostgreSQL is not installed (apt-get install -y postgresql)." };
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) return { missing: "PostgreSQL's server binaries (initdb) are not installed (apt-get install -y postgresql)." };
  return { dir: path.join(base, versions[0]!, "bin") };
}


export async function startPostgres(binDir: string): Promise<PostgresServer> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lab-grader-pg-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync("chown", ["postgres", root]);
  const runAs = (cmd: string, args: string[]) => {
    const [c, a] = asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
    const result = spawnSync(c, a as string[], { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${(result.stderr || result.stdout).trim().split("\n").slice(-3).join(" ")}`);
  };
  const port = await freePort();
  const data = path.join(root, "data");
  runAs(path.join(binDir, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  runAs(path.join(binDir, "pg_ctl"), ["-D", data, "-l", path.join(root, "log"), "-w", "-o", `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  return {
    url: (database = "postgres") => `postgresql://postgres@127.0.0.1:${port}/${database}`,
    stop: () => {
      try {
        runAs(path.join(binDir, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
