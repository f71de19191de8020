// A join link asks before it joins: a GET only shows this page (link previews, prefetching and
// a curious click change nothing); the button's POST joins.
import type { Metadata } from "next";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { ConfirmJoinForm } from "../join-form";

export const metadata: Metadata = { title: "Join a cohort" };

// Whether Next hands the segment over decoded or not, a stray "%" must not throw.
function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

type Props = { params: Promise<{ code: string }> };

export default async function JoinWithCodePage({ params }: Props) {
  const { code: raw } = await params;
  const code = safeDecode(raw).slice(0, 64);
  await requireUser(`/join/${encodeURIComponent(code)}`);
  return (
    <div className="dashboard">
      <h1>Join a cohort</h1>
      <p className="lede">
        You were invited to a cohort with the code <code data-testid="invite-code">{code}</code>. Joining lets its instructor see your progress in the lab and your check results.
      </p>
      <ConfirmJoinForm code={code} />
      <p>
        <Link href="/join">See the cohorts you belong to</Link>
      </p>
    </div>
  );
}
