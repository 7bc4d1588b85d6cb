/**
 * Memory under an oversized webhook body: a 64 MB POST to the App's server (with its 25 MB
 * limit) and to Probot's bare webhook middleware (no limit), once with a declared length and
 * once streamed in chunks, in the same process. Prints the status and the peak RSS growth of
 * each, and ends with one JSON line.
 */
import { generateKeyPairSync } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import { pino } from "pino";
import { createNodeMiddleware, Probot, ProbotOctokit } from "probot";
import { createAppServer, WEBHOOK_PATH } from "../src/app/server.ts";

const BODY = 64 * 1024 * 1024;

function probot(): Probot {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return new Probot({
    appId: 1,
    privateKey,
    secret: "s",
    log: pino({ level: "silent" }),
    Octokit: ProbotOctokit.defaults((o: object) => ({ ...o, throttle: { enabled: false } })),
  });
}

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return typeof address === "object" && address ? address.port : 0;
}

async function send(port: number, declared: boolean): Promise<{ status: number; peakMb: number }> {
  global.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 2);
  const status = await new Promise<number>((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: WEBHOOK_PATH,
        headers: {
          "content-type": "application/json",
          "x-github-event": "issues",
          "x-github-delivery": "x",
          "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
          ...(declared ? { "content-length": String(BODY) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", () => resolve(-1));
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < BODY && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
      if (!req.destroyed) req.end();
    };
    pump();
  });
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  return { status, peakMb: (peak - before) / 1024 / 1024 };
}

const limited = await createAppServer({ appFn: () => undefined, probot: probot() });
const bareMiddleware = await createNodeMiddleware(() => undefined, { probot: probot() });
const bare = createServer((req, res) => {
  void bareMiddleware(req, res);
});
const limitedPort = await listen(limited);
const barePort = await listen(bare);

const figures = {
  limitedDeclared: await send(limitedPort, true),
  limitedStreamed: await send(limitedPort, false),
  bareDeclared: await send(barePort, true),
  bareStreamed: await send(barePort, false),
};
limited.close();
bare.close();
for (const [name, f] of Object.entries(figures))
  console.log(
    `${name.padEnd(16)} status ${String(f.status).padStart(4)} · peak RSS +${f.peakMb.toFixed(1)} MB`,
  );
console.log(JSON.stringify({ bench: "body-limit", bodyMb: BODY / 1024 / 1024, ...figures }));
