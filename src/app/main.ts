#!/usr/bin/env node
/**
 * Starts the GitHub App. First `.env` in the working directory, as Probot reads it. With
 * credentials: our server (body limit, webhooks, health) on PORT. Without them, outside
 * production: Probot's setup page, which registers the App from app.yml (the manifest flow) and
 * writes the credentials to `.env` for the next start.
 */
import { createProbot } from "probot";
import { redactingPino } from "../adapters/log/redacting-pino.ts";
import { startTelemetry } from "../adapters/otel/sdk.ts";
import { loadDotEnv } from "../config/dot-env.ts";
import { packageVersion } from "../config/package-root.ts";
import { parseAppEnv } from "../config/app-env.ts";
import { appPrivateKey } from "../config/private-key.ts";
import { InvalidInputError } from "../core/errors.ts";
import { appFromEnv } from "./from-env.ts";
import { createAppServer } from "./server.ts";
import { appReadiness } from "./http/ready.ts";
import { startSetup } from "./setup-mode.ts";
import { forwardFromProxy } from "./webhook-proxy.ts";

async function main(): Promise<void> {
  loadDotEnv(process.env, process.cwd());
  const env = parseAppEnv(process.env);
  const privateKey = appPrivateKey(env, process.cwd());
  if (env.APP_ID === undefined || privateKey === null) {
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
    onStop(() => setup.stop());
    return;
  }
  const telemetry = startTelemetry(process.env, {
    "service.version": packageVersion(),
    "orchestrator.host": "app",
  });
  const { app, logger } = await appFromEnv(env, process.env, privateKey);
  const probot = createProbot({ env: process.env, overrides: { log: logger, privateKey } });
  const server = await createAppServer({
    appFn: app.appFn,
    probot,
    webhookPath: env.WEBHOOK_PATH,
    ready: appReadiness(app.options, probot),
  });
  await new Promise<void>((resolve) => server.listen(env.PORT, env.HOST ?? "0.0.0.0", resolve));
  probot.log.info({ port: env.PORT }, "orchestrator listening");
  const proxy = env.WEBHOOK_PROXY_URL
    ? await forwardFromProxy({
        source: env.WEBHOOK_PROXY_URL,
        target: `http://127.0.0.1:${String(env.PORT)}${env.WEBHOOK_PATH}`,
        logger,
      })
    : null;
  onStop(async () => {
    // No new deliveries; running tasks stop at their next effect, and what is still held at the
    // deadline is given back, so another replica resumes at once rather than after the lease.
    server.close();
    await proxy?.stop();
    await app.shutdown(env.ORCHESTRATOR_SHUTDOWN_SECONDS * 1000);
    // What is buffered is exported before the process ends.
    await telemetry?.shutdown();
  });
}

/** Runs `stop` once on SIGTERM or SIGINT, then ends the process. */
function onStop(stop: () => Promise<void>): void {
  const once = (): void => {
    process.off("SIGTERM", once).off("SIGINT", once);
    void stop().finally(() => process.exit(0));
  };
  process.on("SIGTERM", once).on("SIGINT", once);
}

main().catch((error: unknown) => {
  // The one line a person reads when the App will not start.
  process.stderr.write(
    `orchestrator cannot start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
