import { metrics, trace } from "@opentelemetry/api";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import type { DestinationStream, Logger } from "pino";
import { redactingPino } from "../adapters/log/redacting-pino.ts";
import { loadPrompts, PROMPTS_DIR } from "../adapters/local/prompt-files.ts";
import type { AppEnv } from "../config/app-env.ts";
import { shippedModels } from "../config/models.ts";
import { chooseProviders } from "../providers/from-env.ts";
import { createApp, type OrchestratorApp } from "./app.ts";
import type { AppOptions } from "./options.ts";
import { rateLimitsFromEnv } from "../config/rate-limits.ts";
import { createTraffic } from "../engine/calls/traffic.ts";

type ProcessOptions = Pick<
  AppOptions,
  | "clients"
  | "secrets"
  | "prompts"
  | "models"
  | "clock"
  | "logger"
  | "tracer"
  | "meter"
  | "sleep"
  | "random"
  | "traffic"
>;

/** The parts of the app's options every host (the server, the Action) takes from its process alike. */
export async function processOptions(
  choice: { readonly provider: string; readonly cassette?: string | undefined },
  raw: NodeJS.ProcessEnv,
  log: {
    readonly level: string;
    readonly secrets: readonly string[];
    /** Where log lines go (default standard output). */
    readonly destination?: DestinationStream;
  },
): Promise<ProcessOptions & { readonly logger: Logger }> {
  const providers = await chooseProviders(choice, raw);
  const secrets = [...log.secrets, ...providers.secrets];
  return {
    clients: providers.clients,
    secrets,
    prompts: await loadPrompts(PROMPTS_DIR),
    models: shippedModels(),
    clock: { now: () => Date.now() },
    logger: redactingPino(log.level, () => secrets, log.destination),
    tracer: trace.getTracer("orchestrator"),
    meter: metrics.getMeter("orchestrator"),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    random: Math.random,
    traffic: createTraffic({ now: () => Date.now(), rateLimits: rateLimitsFromEnv(raw) }),
  };
}

/**
 * The app as the server (and the Docker image) runs it, from a checked environment, and its
 * logger (Probot logs through it too).
 */
export async function appFromEnv(
  env: AppEnv,
  raw: NodeJS.ProcessEnv,
  privateKey: string,
): Promise<{ app: OrchestratorApp; logger: Logger }> {
  const shared = await processOptions(
    { provider: env.ORCHESTRATOR_PROVIDER, cassette: env.ORCHESTRATOR_CASSETTE },
    raw,
    {
      level: env.LOG_LEVEL,
      secrets: [env.WEBHOOK_SECRET, env.PRIVATE_KEY, privateKey].filter((s): s is string =>
        Boolean(s),
      ),
    },
  );
  const webUrl = env.GHE_HOST ? `${env.GHE_PROTOCOL}://${env.GHE_HOST}` : "https://github.com";
  const app = createApp({
    ...shared,
    appId: env.APP_ID ?? 0,
    webHost: new URL(webUrl).hostname,
    webUrl,
    workDir: env.ORCHESTRATOR_WORK_DIR ?? join(tmpdir(), "orchestrator"),
    cloneUrl: (repo) =>
      `${(env.ORCHESTRATOR_CLONE_BASE ?? webUrl).replace(/\/$/, "")}/${repo.owner}/${repo.repo}.git`,
    owner: `${hostname()}:${process.pid}`,
    leaseMs: 15 * 60_000,
    queue: {
      perInstallation: env.ORCHESTRATOR_CONCURRENCY_PER_INSTALLATION,
      overall: env.ORCHESTRATOR_CONCURRENCY,
    },
    statusDebounceMs: 10_000,
    dayBudgets: {
      repositoryUsd: env.ORCHESTRATOR_REPO_DAY_BUDGET_USD,
      installationUsd: env.ORCHESTRATOR_INSTALLATION_DAY_BUDGET_USD,
    },
    sweepIntervalMs: 5 * 60_000,
    takeTurns: env.ORCHESTRATOR_SWEEP_TURNS,
  });
  return { app, logger: shared.logger };
}
