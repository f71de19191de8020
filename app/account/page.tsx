import type { Metadata } from "next";
import { requireUser } from "@/lib/auth/session";
import { ApiTokensSection } from "./api-tokens-section";
import { ChangePasswordForm } from "./change-password-form";

export const metadata: Metadata = { title: "Your account" };

export default async function AccountPage() {
  const user = await requireUser("/account");
  return (
    <>
      <h1>Your account</h1>
      <dl className="resources">
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{user.role}</dd>
      </dl>
      <h2>Change your password</h2>
      <p className="form-help">Changing it signs you out everywhere; sign in again with the new one.</p>
      <ChangePasswordForm />
      <ApiTokensSection userId={user.id} />
    </>
  );
}
