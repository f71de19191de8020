"use client";
// Copies a value (a join link, a token, a signing secret) to the clipboard and says whether it
// worked. Clipboard access can be refused (an insecure origin, a browser setting), so the value
// must always be on the page too, selectable by hand.
import { useState } from "react";

export function CopyButton({ text, label, what }: { text: string; label: string; /** "link", "token", "secret" */ what: string }) {
  const [status, setStatus] = useState("");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setStatus(`The ${what} was copied to the clipboard.`);
    } catch {
      setStatus(`The browser refused to copy: select the ${what} and copy it yourself.`);
    }
  };
  return (
    <>
      <button type="button" className="button button-small" onClick={() => void copy()}>
        {label}
      </button>
      <span role="status" className="form-help">
        {status}
      </span>
    </>
  );
}
