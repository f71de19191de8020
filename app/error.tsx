"use client";

// Shown instead of any unexpected server or render error: never a stack trace, always a way on.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <>
      <h1>Something went wrong</h1>
      <p className="lede">The page could not be shown. Nothing you saved was lost. Try again, or come back in a moment.</p>
      {error.digest ? <p className="form-help">Reference for the operator: {error.digest}</p> : null}
      <button type="button" className="button" onClick={() => reset()}>
        Try again
      </button>
    </>
  );
}
