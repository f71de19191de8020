import Link from "next/link";
import { getCurrentUser } from "@/lib/auth/session";
import { DEFAULT_LAB, getLab } from "@/lib/content/lab";
import { MODULE_TITLE } from "@/lib/content/module";
import { getLabProgress } from "@/lib/progress";
import { LabProgressBar } from "./components/lab-progress-bar";

export default async function HomePage() {
  const [user, lab] = await Promise.all([getCurrentUser(), getLab(DEFAULT_LAB)]);
  const progress = user ? await getLabProgress(user.id, lab.id, lab.steps.length) : null;
  return (
    <>
      <h1>{MODULE_TITLE}</h1>
      <p className="lede">
        Learn how SQS, SNS, EventBridge, Step Functions and API Gateway fit together, then build an event-driven order system in
        six steps. After each step, press Check: the grader looks at what you built and tells you, check by check, what works and
        what to do next.
      </p>
      <div className="card-grid">
        <section className="card" aria-labelledby="home-module">
          <h2 id="home-module">Read the module</h2>
          <p>Queues, topics, event buses, workflows and direct API integrations — with diagrams, examples and review questions.</p>
          <Link href="/module" className="button">
            Open the module
          </Link>
        </section>
        <section className="card" aria-labelledby="home-lab">
          <h2 id="home-lab">{lab.title}</h2>
          <p>{lab.summary}</p>
          {progress ? <LabProgressBar progress={progress} /> : null}
          <Link href={`/labs/${lab.id}`} className="button">
            {progress ? "Continue the lab" : "Start the lab"}
          </Link>
        </section>
        {!user ? (
          <section className="card" aria-labelledby="home-account">
            <h2 id="home-account">No AWS account needed</h2>
            <p>Work in the built-in sandbox, LocalStack, or your own AWS account. Create a free Lab Grader account to save your progress.</p>
            <Link href="/signup" className="button button-secondary">
              Create an account
            </Link>
          </section>
        ) : null}
      </div>
    </>
  );
}
