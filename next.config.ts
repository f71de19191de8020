import type { NextConfig } from "next";

const config: NextConfig = {
  reactStrictMode: true,
  // Metadata (the page <title>) is rendered with the page, not streamed in after it: screen
  // readers and the accessibility scan see the title as soon as the page loads.
  htmlLimitedBots: /.*/,
  poweredByHeader: false,
  // `npm test` type-checks the whole project (tsc --noEmit) before anything else; the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
  // Native and WASM-heavy packages stay plain Node requires instead of being bundled.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@node-rs/argon2", "shiki", "pg"],
  // Content files are read at run time: make sure standalone tracing would include them.
  outputFileTracingIncludes: { "/**": ["./labs/**/*"] },
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default config;
