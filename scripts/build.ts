// `npm run build`: content is validated first (a broken step file fails here, with its name),
// then the production build.
import { prepareEnvironment } from "./lib/prepare";
import { bin, run } from "./lib/run";
import { validateContent } from "./validate-content";

async function main() {
  prepareEnvironment();
  await validateContent();
  await run(bin("next"), ["build"], { env: { ...process.env, NODE_ENV: "production" } });
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
