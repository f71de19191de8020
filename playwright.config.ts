import { defineConfig } from "@playwright/test";

// Debian's Chromium (scripts/test.sh installs it): Playwright must not download a browser here.
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/lib/chromium/chromium";
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
// Each port gets its own data directory, so two runs on one machine never share a database.
export const E2E_DATA_DIR = process.env.E2E_PORT ? `.data/e2e-${E2E_PORT}` : ".data/e2e";

export default defineConfig({
  testDir: "test/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${E2E_PORT}`,
    browserName: "chromium",
    headless: true,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: CHROMIUM,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    },
  },
  webServer: {
    // A fresh database every run: the same `npm start` path a user takes, with demo accounts.
    command: `rm -rf ${E2E_DATA_DIR} && npx tsx scripts/start.ts`,
    url: `http://localhost:${E2E_PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 300_000,
    stdout: "pipe",
    env: {
      PORT: String(E2E_PORT),
      DATA_DIR: E2E_DATA_DIR,
      DATABASE_URL: `file:${process.cwd()}/${E2E_DATA_DIR}/lab-grader.db`,
      DEMO: "1",
      // Its own sandbox port, so a developer's sandbox or LocalStack on 4566 is left alone.
      SANDBOX_PORT: String(E2E_PORT + 1510),
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
