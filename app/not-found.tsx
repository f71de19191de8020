import Link from "next/link";

export default function NotFound() {
  return (
    <>
      <h1>Page not found</h1>
      <p className="lede">There is no page at this address. It may have moved, or the link may have a typo.</p>
      <p>
        <Link href="/">Go to the start page</Link> · <Link href="/module">Read the module</Link> ·{" "}
        <Link href="/labs/order-system">Open the lab</Link>
      </p>
    </>
  );
}
