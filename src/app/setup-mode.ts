import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { run } from "probot";
import { health } from "./server.ts";

/**
 * Setup mode: Probot's manifest flow (its page at `/probot` registers the App from `app.yml`;
 * GitHub's answer is written to `.env`) behind a front server that answers `/healthz` itself and
 * passes everything else through, host header included, so the manifest's URLs are the front's.
 * Probot's `run` takes no handler of ours in setup mode, hence its listener on a loopback port.
 */
export async function startSetup(options: {
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
}): Promise<{ readonly server: Server; stop(): Promise<void> }> {
  const log = options.logger.child({ name: "setup" });
  const inner = await freeLoopbackPort();
  // Probot's own lines name its loopback port, not the front's: ours say where to go.
  const probot = await run(["node", "probot", "--port", String(inner), "--host", "127.0.0.1"], {
    log: log.child({}, { level: "warn" }),
  });
  const server = createServer((req, res) => {
    if (health(req, res)) return;
    const upstream = request(
      { host: "127.0.0.1", port: inner, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (answer.statusCode === 302 && (req.url ?? "").startsWith("/probot/setup"))
          log.info("the App is registered and its credentials are in .env: restart to run it");
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", (error) => {
      log.error({ err: error }, "setup page failed");
      if (!res.headersSent) res.writeHead(502).end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject).listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  log.info(
    { url: `http://localhost:${String(port)}` },
    "no App credentials: open this address to register the App from app.yml",
  );
  return {
    server,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await probot.stop();
    },
  };
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
      .once("error", reject)
      .listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as AddressInfo;
        probe.close(() => {
          resolve(port);
        });
      });
  });
}
