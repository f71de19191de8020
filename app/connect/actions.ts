"use server";

// Every action asks who is signed in, on the server, and acts only on that user's connection.
// Secrets never go into messages or logs; the sandbox secret is returned only by revealSecretAction.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { getCurrentUser } from "@/lib/auth/session";
import { DomainError } from "@/lib/errors";
import { fieldErrors, type FormState } from "@/lib/form-state";
import { connectAws, connectLocalStack, connectSandbox, resetSandbox, revealSandboxKeys, testConnection, type ConnectionTestResult } from "@/lib/connections";

const SIGNED_OUT: FormState = { ok: false, message: "Your session has ended. Sign in again." };

async function run(work: () => Promise<FormState>): Promise<FormState> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message };
    throw err;
  }
}

export async function createSandboxAction(_prev: FormState, _form: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  return run(async () => {
    await connectSandbox(user.id);
    revalidatePath("/connect");
    return { ok: true, message: "Your sandbox account is ready, with LabGraderRole in it." };
  });
}

export async function resetSandboxAction(_prev: FormState, _form: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  return run(async () => {
    await resetSandbox(user.id);
    revalidatePath("/connect");
    return { ok: true, message: "Your sandbox account was reset: it is empty again but for LabGraderRole. Your keys stay the same." };
  });
}

export type RevealState = FormState & { secret?: string };

export async function revealSecretAction(_prev: RevealState, _form: FormData): Promise<RevealState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  return run(async () => {
    const keys = await revealSandboxKeys(user.id);
    if (!keys) return { ok: false, message: "You have no sandbox account yet." };
    return { ok: true, secret: keys.secretAccessKey };
  });
}

export type TestState = FormState & { result?: ConnectionTestResult };

export async function testConnectionAction(_prev: TestState, _form: FormData): Promise<TestState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  return run(async () => {
    const result = await testConnection(user.id);
    revalidatePath("/connect");
    return { ok: result.ok, message: result.message, result };
  });
}

const region = z.string().trim().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, "Enter a region name such as us-east-1.");
const roleArn = z.string().trim().max(2048).optional();

const localStackSchema = z.object({
  endpoint: z.string().trim().min(1, "Enter LocalStack's URL, such as http://localhost:4566.").max(2048),
  region,
  roleArn,
});

export async function saveLocalStackAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const values = { endpoint: String(form.get("endpoint") ?? ""), region: String(form.get("region") ?? ""), roleArn: String(form.get("roleArn") ?? "") };
  const parsed = localStackSchema.safeParse(values);
  if (!parsed.success) return { ...fieldErrors(parsed.error), values };
  return run(async () => {
    try {
      await connectLocalStack(user.id, parsed.data);
    } catch (err) {
      if (err instanceof DomainError) return { ok: false, message: err.message, errors: { endpoint: [err.message] }, values };
      throw err;
    }
    revalidatePath("/connect");
    return { ok: true, message: "Saved. Create LabGraderRole in LocalStack with the commands below, then test the connection.", values };
  });
}

const awsSchema = z.object({ region, roleArn });

export async function saveAwsAction(_prev: FormState, form: FormData): Promise<FormState> {
  const user = await getCurrentUser();
  if (!user) return SIGNED_OUT;
  const values = { region: String(form.get("region") ?? ""), roleArn: String(form.get("roleArn") ?? "") };
  const parsed = awsSchema.safeParse(values);
  if (!parsed.success) return { ...fieldErrors(parsed.error), values };
  return run(async () => {
    try {
      await connectAws(user.id, parsed.data);
    } catch (err) {
      if (err instanceof DomainError) return { ok: false, message: err.message, errors: { roleArn: [err.message] }, values };
      throw err;
    }
    revalidatePath("/connect");
    return {
      ok: true,
      message: parsed.data.roleArn ? "Saved. Now test the connection." : "Saved. Create the role with one of the options below, then paste its ARN here.",
      values,
    };
  });
}
