import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { getCurrentUser } from "@/lib/auth/session";
import { roleAtLeast } from "@/lib/auth/roles";
import { SignOutButton } from "./components/sign-out-button";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Lab Grader", template: "%s · Lab Grader" },
  description: "Learn AWS messaging and integration services and have your hands-on lab checked as you build it.",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <header className="site-header">
          <nav aria-label="Main" className="site-nav">
            <Link href="/" className="brand">
              Lab Grader
            </Link>
            <ul>
              <li>
                <Link href="/module">Module</Link>
              </li>
              <li>
                <Link href="/labs/order-system">Lab</Link>
              </li>
              {user ? (
                <li>
                  <Link href="/connect">Connect</Link>
                </li>
              ) : null}
              {user && roleAtLeast(user.role, "instructor") ? (
                <li>
                  <Link href="/cohorts">Cohorts</Link>
                </li>
              ) : user ? (
                <li>
                  <Link href="/join">Join a cohort</Link>
                </li>
              ) : null}
              {user && roleAtLeast(user.role, "admin") ? (
                <li>
                  <Link href="/admin">Admin</Link>
                </li>
              ) : null}
            </ul>
            <div className="account-nav">
              {user ? (
                <>
                  <Link href="/account" className="account-link">
                    {user.name}
                  </Link>
                  <SignOutButton />
                </>
              ) : (
                <>
                  <Link href="/signin">Sign in</Link>
                  <Link href="/signup" className="button button-small">
                    Sign up
                  </Link>
                </>
              )}
            </div>
          </nav>
        </header>
        <main id="main" tabIndex={-1}>
          {children}
        </main>
        <footer className="site-footer">
          <p>Lab Grader — a self-hosted course on AWS messaging and integration services.</p>
        </footer>
      </body>
    </html>
  );
}
