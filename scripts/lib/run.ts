import { spawn, type SpawnOptions } from "node:child_process";

/** Runs a command to completion, inheriting output; rejects with a one-line message on failure. */
export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    child.on("error", (err) => reject(new Error(`${command} could not start: ${err.message}`)));
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`}).`)),
    );
  });
}

/** The path of a binary installed in node_modules/.bin. */
export const bin = (name: string) => `node_modules/.bin/${name}`;
