// The host files a language runtime needs inside the jail, and nothing more: its executable, the
// shared libraries the dynamic loader resolves for it (found with ldd), its standard library
// and, for Node.js, the AWS SDK that Lambda's Node.js runtimes include. Each is bound read-only at
// its own path; a path that goes through symlinks (/lib64 → usr/lib64 on merged-/usr systems)
// gets the same symlinks in the jail. Computed once per runtime and kept.
import { execFile } from "node:child_process";
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, realpathSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { HOST_TOOLS_ENV } from "./jail";

const run = promisify(execFile);

export type Mount = { kind: "ro-bind"; src: string; dest: string } | { kind: "symlink"; target: string; dest: string };

export interface RuntimeImage {
  /** The executable to run, by its path in the jail (the same as the host's). */
  executable: string;
  mounts: Mount[];
}

/** Where Lambda's Node.js runtimes keep the SDK; /node_modules links there so `import` finds it too. */
export const JAIL_NODE_MODULES = "/var/runtime/node_modules";

/** Collects mounts, skipping whatever an earlier directory bind already brings into the jail. */
class MountSet {
  private readonly dirs: string[] = [];
  private readonly byDest = new Map<string, Mount>();

  private covered(dest: string): boolean {
    return this.dirs.some((d) => dest === d || dest.startsWith(d + "/"));
  }

  /** A host directory, bound whole (a standard library, an SDK package). Add these first. */
  dir(src: string, dest = src): void {
    if (this.covered(dest)) return;
    this.dirs.push(dest);
    this.byDest.set(dest, { kind: "ro-bind", src, dest });
  }

  /** A host file at its own path, with every symlink on the way reproduced. */
  file(hostPath: string, depth = 0): void {
    if (depth > 40) throw new Error(`Too many symlinks resolving ${hostPath}`);
    const parts = hostPath.split("/").filter(Boolean);
    let current = "";
    for (let i = 0; i < parts.length; i++) {
      current += "/" + parts[i];
      const stat = lstatSync(current);
      if (!stat.isSymbolicLink()) continue;
      const target = readlinkSync(current);
      if (!this.covered(current)) this.byDest.set(current, { kind: "symlink", target, dest: current });
      const rest = parts.slice(i + 1).join("/");
      const resolved = path.resolve(path.dirname(current), target);
      this.file(rest === "" ? resolved : path.join(resolved, rest), depth + 1);
      return;
    }
    if (!this.covered(hostPath)) this.byDest.set(hostPath, { kind: "ro-bind", src: hostPath, dest: hostPath });
  }

  /** Directory binds first, so a file or symlink is never hidden under a later directory. */
  list(): Mount[] {
    const all = [...this.byDest.values()];
    const isDir = (m: Mount) => m.kind === "ro-bind" && this.dirs.includes(m.dest);
    return [...all.filter(isDir), ...all.filter((m) => !isDir(m))];
  }
}

/** The shared libraries (and the dynamic loader) the given ELF files load, by ldd. */
async function sharedLibraries(files: string[]): Promise<string[]> {
  // ldd exits non-zero when one of the files is not dynamic; its output still lists the others'.
  const { stdout } = await run("ldd", files, { env: HOST_TOOLS_ENV as NodeJS.ProcessEnv, maxBuffer: 16 * 1024 * 1024 }).catch((err: { stdout?: string; message: string }) => {
    if (typeof err.stdout === "string" && err.stdout !== "") return { stdout: err.stdout };
    throw new Error(`ldd could not list the runtime's libraries: ${err.message}`);
  });
  const libs = new Set<string>();
  for (const m of stdout.matchAll(/(\/\S+)\s+\(0x[0-9a-f]+\)/g)) libs.add(m[1]!);
  return [...libs];
}

/** Files the dynamic loader and C library read: the loader's cache of library folders. */
function loaderFiles(set: MountSet): void {
  if (existsSync("/etc/ld.so.cache")) set.file("/etc/ld.so.cache");
}

/**
 * The project's copy of the AWS SDK for JavaScript v3: every package of the @aws-sdk scope and
 * what they depend on, found by walking their package.json files.
 */
function sdkPackages(): { nodeModules: string; names: string[] } | undefined {
  let nodeModules: string;
  try {
    const require = createRequire(import.meta.url);
    const manifest = require.resolve("@aws-sdk/client-sqs/package.json");
    nodeModules = path.resolve(path.dirname(manifest), "../..");
  } catch {
    return undefined;
  }
  const names = new Set<string>();
  const pending = readdirSync(path.join(nodeModules, "@aws-sdk")).map((p) => `@aws-sdk/${p}`);
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (names.has(name)) continue;
    const manifest = path.join(nodeModules, name, "package.json");
    if (!existsSync(manifest)) continue; // nested under the package that needs it, so bound with it
    names.add(name);
    const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
    pending.push(...Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }));
  }
  return { nodeModules, names: [...names].sort() };
}

async function buildNodeImage(executable: string): Promise<RuntimeImage> {
  const set = new MountSet();
  const sdk = sdkPackages();
  if (sdk !== undefined) for (const name of sdk.names) set.dir(path.join(sdk.nodeModules, name), path.join(JAIL_NODE_MODULES, name));
  const real = realpathSync(executable);
  set.file(real);
  for (const lib of await sharedLibraries([real])) set.file(lib);
  loaderFiles(set);
  const mounts = set.list();
  if (sdk !== undefined) mounts.push({ kind: "symlink", target: JAIL_NODE_MODULES.slice(1), dest: "/node_modules" });
  return { executable: real, mounts };
}

interface PythonLayout {
  executable: string;
  /** sys.path without the script's folder: the standard library and site-packages folders. */
  path: string[];
  dynload: string;
}

async function pythonLayout(executable: string): Promise<PythonLayout> {
  // -I: isolated, so neither PYTHONPATH nor a user's site-packages of the host gets bound.
  const code = "import json, sys, sysconfig; print(json.dumps({'executable': sys.executable, 'path': [p for p in sys.path if p], 'dynload': sysconfig.get_path('platstdlib') + '/lib-dynload'}))";
  const { stdout } = await run(executable, ["-I", "-c", code], { env: HOST_TOOLS_ENV as NodeJS.ProcessEnv });
  return JSON.parse(stdout) as PythonLayout;
}

async function buildPythonImage(executable: string): Promise<RuntimeImage> {
  const layout = await pythonLayout(executable);
  const set = new MountSet();
  const dirs = layout.path.filter((p) => existsSync(p) && lstatSync(p).isDirectory()).map((p) => realpathSync(p));
  // Shortest first, so a folder inside another one is covered by it.
  for (const dir of [...new Set(dirs)].sort((a, b) => a.length - b.length)) set.dir(dir);
  const real = realpathSync(layout.executable);
  set.file(real);
  const dynload = existsSync(layout.dynload) ? readdirSync(layout.dynload).filter((f) => f.endsWith(".so")).map((f) => path.join(layout.dynload, f)) : [];
  for (const lib of await sharedLibraries([real, ...dynload])) set.file(lib);
  loaderFiles(set);
  return { executable: real, mounts: set.list() };
}

const images = new Map<string, Promise<RuntimeImage>>();

function memo(key: string, build: () => Promise<RuntimeImage>): Promise<RuntimeImage> {
  let image = images.get(key);
  if (image === undefined) {
    image = build();
    // A failure is not kept: the next invocation tries again (ldd installed meanwhile, say).
    image.catch(() => images.delete(key));
    images.set(key, image);
  }
  return image;
}

export function nodeImage(executable: string): Promise<RuntimeImage> {
  return memo(`node:${executable}`, () => buildNodeImage(executable));
}

export function pythonImage(executable: string): Promise<RuntimeImage> {
  return memo(`python:${executable}`, () => buildPythonImage(executable));
}
