// `npm run create-admin -- --email a@b.c --name "Ada"`: makes an admin (or promotes an existing
// account). The password is asked for on a terminal, read from ADMIN_PASSWORD, or generated and
// shown once.
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline/promises";
import { parseArgs } from "node:util";
import { prepareDatabase, prepareEnvironment } from "./lib/prepare";

const USAGE = 'Usage: npm run create-admin -- --email EMAIL [--name NAME]   (password from a prompt, ADMIN_PASSWORD, or generated)';

async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}

async function main() {
  const { values } = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, help: { type: "boolean" } }, strict: true });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const interactive = Boolean(process.stdin.isTTY);
  const email = values.email ?? (interactive ? await ask("Admin email: ") : "");
  if (!email) throw new Error(`An email is required. ${USAGE}`);

  prepareEnvironment();
  await prepareDatabase({ quiet: true });
  const { db } = await import("../lib/db/client");
  const { createUser, emailSchema } = await import("../lib/users");
  const { passwordSchema } = await import("../lib/auth/password");
  const { audit } = await import("../lib/audit");

  const normalised = emailSchema.parse(email);
  const existing = await db.user.findUnique({ where: { email: normalised } });
  if (existing) {
    await db.user.update({ where: { id: existing.id }, data: { role: "admin" } });
    await audit({ actorId: null, action: "user.role.set", subjectId: existing.id, details: { from: existing.role, to: "admin", by: "create-admin" } });
    console.log(`${normalised} is now an admin (password unchanged).`);
    return;
  }
  const name = values.name ?? (interactive ? await ask("Name: ") : "") ?? "";
  let password = process.env.ADMIN_PASSWORD ?? (interactive ? await ask("Password (empty to generate one): ") : "");
  const generated = password === "";
  if (generated) password = randomBytes(15).toString("base64url");
  const checked = passwordSchema.safeParse(password);
  if (!checked.success) throw new Error(checked.error.issues[0]?.message ?? "That password cannot be used.");
  const user = await createUser({ email: normalised, name: name || "Administrator", password, role: "admin" });
  await audit({ actorId: null, action: "user.create", subjectId: user.id, details: { role: "admin", by: "create-admin" } });
  console.log(`Admin ${user.email} created.`);
  if (generated) console.log(`Generated password (shown only now): ${password}`);
  await db.$disconnect();
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err);
  console.error(`create-admin: ${message.split("\n")[0]}`);
  process.exit(2);
});
