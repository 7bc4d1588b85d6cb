#!/usr/bin/env node
/**
 * Starts the GitHub App. First `.env` in the working directory, as Probot reads it. With
 * credentials: our server (body limit, webhooks, health) on PORT. Without them, outside
 * production: Probot's setup page, which registers the App from app.yml (the manifest flow) and
 * writes the credentials to `.env` for the next start.
 */
import { createProbot } from "probot";
import { redactingPino } from "../adapters/log/redacting-pino.ts";
import { loadDotEnv } from "../config/dot-env.ts";
import { startTelemetry } from "../adapters/otel/sdk.ts";
import { packageVersion } from "../config/package-root.ts";
import { parseAppEnv } from "../config/app-env.ts";
import { InvalidInputError } from "../core/errors.ts";
import { appFromEnv } from "./from-env.ts";
import { createAppServer } from "./server.ts";
import { appReadiness } from "./http/ready.ts";
import { startSetup } from "./setup-mode.ts";

async function main(): Promise<void> {
  loadDotEnv(process.env, process.cwd());
  const env = parseAppEnv(process.env);
  const hasKey = env.PRIVATE_KEY !== undefined || env.PRIVATE_KEY_PATH !== undefined;
  if (env.APP_ID === undefined || !hasKey) {
    if (env.NODE_ENV === "production")
      throw new InvalidInputError("the environment", [
        {
          path: env.APP_ID === undefined ? "APP_ID" : "PRIVATE_KEY",
          message: "is required in production",
        },
      ]);
    const setup = await startSetup({
      port: env.PORT,
      host: env.HOST ?? "0.0.0.0",
      logger: redactingPino(env.LOG_LEVEL, () => []),
    });
    const stopSetup = (): void => {
      void setup.stop().finally(() => process.exit(0));
    };
    process.once("SIGTERM", stopSetup);
    process.once("SIGINT", stopSetup);
    return;
  }
  const telemetry = startTelemetry(process.env, {
    "service.version": packageVersion(),
    "orchestrator.host": "app",
  });
  const { app, logger } = await appFromEnv(env, process.env);
  const probot = createProbot({ env: process.env, overrides: { log: logger } });
  const server = await createAppServer({
    appFn: app.appFn,
    probot,
    ready: appReadiness(app.options, probot),
  });
  server.listen(env.PORT, env.HOST ?? "0.0.0.0", () => {
    probot.log.info({ port: env.PORT }, "orchestrator listening");
  });
  const stop = (): void => {
    server.close(() => {
      // What is buffered is exported before the process ends.
      void (telemetry?.shutdown() ?? Promise.resolve()).finally(() => process.exit(0));
    });
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
  // The one line a person reads when the App will not start.
  process.stderr.write(
    `orchestrator cannot start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
