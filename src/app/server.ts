import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createNodeMiddleware, type ApplicationFunction, type Probot } from "probot";
import { limitWebhookBody, MAX_WEBHOOK_BYTES } from "./http/body-limit.ts";
import type { Readiness } from "./http/ready.ts";

/** Probot's default webhook path (`WEBHOOK_PATH` changes it). */
export const WEBHOOK_PATH = "/api/github/webhooks";

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<boolean> | boolean;

/**
 * The App's HTTP server: the body limit first, then Probot's webhook middleware (signature,
 * then the app's handlers), then health (`/healthz`, `/ping`) and readiness (`/readyz`). Not
 * listening yet.
 */
export async function createAppServer(options: {
  readonly appFn: ApplicationFunction;
  readonly probot: Probot;
  readonly maxBodyBytes?: number;
  /** Where deliveries are taken; `WEBHOOK_PATH` when not given. */
  readonly webhookPath?: string;
  /** `/readyz`: whether this replica can do work; 200 or 503 with each check's answer. */
  readonly ready?: () => Promise<Readiness>;
}): Promise<Server> {
  const webhookPath = options.webhookPath ?? WEBHOOK_PATH;
  const webhooks = await createNodeMiddleware(options.appFn, {
    probot: options.probot,
    webhooksPath: webhookPath,
  });
  const handlers: Handler[] = [
    limitWebhookBody(webhookPath, options.maxBodyBytes ?? MAX_WEBHOOK_BYTES),
    async (req, res) => (await webhooks(req, res, () => undefined)) === true,
    health,
    async (req, res) => {
      if (req.method !== "GET" || pathOf(req) !== "/readyz" || !options.ready) return false;
      const answer = await options.ready();
      res
        .writeHead(answer.ready ? 200 : 503, { "content-type": "application/json" })
        .end(JSON.stringify(answer));
      return true;
    },
  ];
  return createServer((req, res) => {
    // Probot's manifest registers the setup page's address (`<base>/`) as the webhook URL when
    // no proxy is set: a delivery there is one for the webhook path.
    if (req.method === "POST" && pathOf(req) === "/" && req.headers["x-github-event"])
      req.url = webhookPath;
    void (async () => {
      for (const handler of handlers) if (await handler(req, res)) return;
      if (!res.headersSent) res.writeHead(404).end();
    })().catch((error: unknown) => {
      options.probot.log.error({ err: error }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
}

/** `/healthz` (and Probot's `/ping`): the process is up and answering. */
export function health(req: IncomingMessage, res: ServerResponse): boolean {
  const path = pathOf(req);
  if (req.method !== "GET" || (path !== "/healthz" && path !== "/ping")) return false;
  res.writeHead(200, { "content-type": "text/plain" }).end(path === "/ping" ? "PONG" : "ok");
  return true;
}

const pathOf = (req: IncomingMessage): string => (req.url ?? "").split("?")[0] ?? "";
