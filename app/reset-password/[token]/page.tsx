import type { Metadata } from "next";
import { findUsableResetToken } from "@/lib/admin";
import { ResetPasswordForm } from "./reset-password-form";

export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

type Props = { params: Promise<{ token: string }> };

export default async function ResetPasswordPage({ params }: Props) {
  const { token } = await params;
  const row = await findUsableResetToken(token);
  if (!row) {
    return (
      <>
        <h1>This link cannot be used</h1>
        <p className="alert alert-error" role="alert">
          This link is invalid, has expired or has already been used. Ask an admin for a new one.
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Choose a new password</h1>
      <p>For {row.user.email}. This link works once.</p>
      <ResetPasswordForm token={token} />
    </>
  );
}
