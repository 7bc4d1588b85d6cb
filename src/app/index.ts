import { metrics, trace } from "@opentelemetry/api";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { pino } from "pino";
import { loadPrompts, PROMPTS_DIR } from "../adapters/local/prompt-files.ts";
import { DEFAULT_PRICES } from "../core/cost/prices.ts";
import { chooseProviders } from "../providers/from-env.ts";
import { enableSpanContext } from "../adapters/otel/context.ts";
import { createApp } from "./app.ts";

enableSpanContext();
const env = process.env;
const providers = await chooseProviders(
  { provider: env["ORCHESTRATOR_PROVIDER"] ?? "env", cassette: env["ORCHESTRATOR_CASSETTE"] },
  env,
);
const webUrl = (env["GHE_HOST"] ? `https://${env["GHE_HOST"]}` : "https://github.com").replace(
  /\/$/,
  "",
);

/** The app as `probot run` (and the Docker image) starts it; settings come from the environment. */
export default createApp({
  appId: Number(env["APP_ID"]),
  clients: providers.clients,
  secrets: providers.secrets,
  webHost: new URL(webUrl).hostname,
  prompts: await loadPrompts(PROMPTS_DIR),
  prices: DEFAULT_PRICES,
  clock: { now: () => Date.now() },
  logger: pino({ level: env["LOG_LEVEL"] ?? "info" }),
  tracer: trace.getTracer("orchestrator"),
  meter: metrics.getMeter("orchestrator"),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  workDir: env["ORCHESTRATOR_WORK_DIR"] ?? join(tmpdir(), "orchestrator"),
  cloneUrl: (repo) => `${env["ORCHESTRATOR_CLONE_BASE"] ?? webUrl}/${repo.owner}/${repo.repo}.git`,
  owner: `${hostname()}:${process.pid}`,
  leaseMs: 15 * 60_000,
  queue: {
    perInstallation: Number(env["ORCHESTRATOR_CONCURRENCY_PER_INSTALLATION"] ?? 2),
    overall: Number(env["ORCHESTRATOR_CONCURRENCY"] ?? 8),
  },
  statusDebounceMs: 10_000,
  sweepIntervalMs: 5 * 60_000,
}).appFn;
