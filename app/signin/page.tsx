import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/session";
import { safeCallbackPath } from "@/lib/safe-redirect";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  "password-changed": "Your password was changed. Sign in with your new password.",
  "password-reset": "Your password was reset. Sign in with your new password.",
};

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function SignInPage({ searchParams }: Props) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(params.callbackUrl);
  if (await getCurrentUser()) redirect(callbackUrl);
  const notice = typeof params.notice === "string" ? NOTICES[params.notice] : undefined;
  return (
    <>
      <h1>Sign in</h1>
      {notice ? (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      ) : null}
      <SignInForm callbackUrl={callbackUrl} />
      <p>
        New here? <Link href={`/signup?callbackUrl=${encodeURIComponent(callbackUrl)}`}>Create an account</Link>.
      </p>
      <p className="form-help">Forgot your password? Ask your instructor or an admin for a reset link.</p>
    </>
  );
}
