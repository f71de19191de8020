// The platform as the data tests need it: a migrated test database and an in-process sandbox that
// lib/connections treats as the platform's own built-in sandbox (what `npm start` runs beside the
// site). Call before importing any lib module: lib/env reads the environment once, at first import.
import { startTestSandbox, type AccountKeys, type TestSandbox } from "./sandbox";
import { useTestDatabase } from "./test-database";

export async function startPlatformSandbox(extraEnv: Record<string, string> = {}): Promise<TestSandbox> {
  const sb = await startTestSandbox();
  // eslint-disable-next-line react-hooks/rules-of-hooks -- a test helper named "use…", not a React hook
  await useTestDatabase();
  const url = new URL(sb.endpoint);
  process.env.SANDBOX_HOST = url.hostname;
  process.env.SANDBOX_PORT = url.port;
  process.env.SANDBOX_ADMIN_TOKEN = sb.adminToken;
  delete process.env.SANDBOX_PUBLIC_URL;
  Object.assign(process.env, extraEnv);
  return sb;
}

/** A new learner connected to the built-in sandbox the way the Connect page does it, with the keys it was given. */
export async function connectedLearner(o: { email: string; name: string }): Promise<{ userId: string; keys: AccountKeys }> {
  const { createUser } = await import("@/lib/users");
  const { connectSandbox, revealSandboxKeys } = await import("@/lib/connections");
  const userId = (await createUser({ ...o, password: "correct horse battery" })).id;
  await connectSandbox(userId);
  const keys = await revealSandboxKeys(userId);
  if (!keys) throw new Error(`${o.email} was connected but has no sandbox keys`);
  return { userId, keys };
}
