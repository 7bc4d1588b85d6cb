import type { Logger } from "pino";
import { InvalidInputError } from "../core/errors.ts";

/**
 * Webhooks read from a smee.io channel (`WEBHOOK_PROXY_URL`) and posted to our own webhook path,
 * as Probot's server does it: with `smee-client`, a development dependency, so it is loaded only
 * when a channel is set.
 */
export async function forwardFromProxy(options: {
  readonly source: string;
  readonly target: string;
  readonly logger: Logger;
}): Promise<{ stop(): Promise<void> }> {
  let SmeeClient: typeof import("smee-client").SmeeClient;
  try {
    ({ SmeeClient } = await import("smee-client"));
  } catch (error) {
    throw new InvalidInputError("the environment", [
      {
        path: "WEBHOOK_PROXY_URL",
        message: `needs smee-client, a development dependency (npm install): ${error instanceof Error ? error.message : String(error)}`,
      },
    ]);
  }
  const log = options.logger.child({ name: "webhook-proxy" });
  const client = new SmeeClient({
    source: options.source,
    target: options.target,
    logger: {
      info: (message: string) => {
        log.info(message);
      },
      error: (...args: unknown[]) => {
        log.error({ err: args[args.length - 1] }, String(args[0]));
      },
    },
  });
  await client.start();
  return { stop: () => client.stop() };
}
