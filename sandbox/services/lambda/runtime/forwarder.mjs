// Inside the jail the network namespace has only loopback, so the function's SDK, pointed at
// AWS_ENDPOINT_URL (http://127.0.0.1:<sandbox port>), would find nothing there. This listens on
// that address and pipes each connection to the sandbox's Unix socket bound into the jail —
// bytes only, no parsing. It runs in the runner's own process (no second runtime to start or to
// count against MemorySize) and never keeps that process alive on its own.
import net from "node:net";

/** Resolves once listening (true), or false when the address cannot be taken. */
export function startForwarder(host, port, socketPath) {
  return new Promise((resolve) => {
    const server = net.createServer({ allowHalfOpen: true }, (client) => {
      const upstream = net.connect({ path: socketPath, allowHalfOpen: true });
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("error", close);
      upstream.on("error", close);
      // pipe() ends the other side when one side ends, so a half-close travels through.
      client.pipe(upstream);
      upstream.pipe(client);
    });
    server.once("error", () => resolve(false));
    server.listen(port, host, () => {
      server.unref();
      resolve(true);
    });
  });
}
