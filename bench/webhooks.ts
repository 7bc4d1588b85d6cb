/**
 * Webhook acknowledgement latency over real HTTP on loopback: 1,000 signed deliveries to the
 * orchestrator app and 1,000 to a bare Probot app, interleaved, in the same process. The work a
 * delivery starts runs after the acknowledgement (against the fake GitHub), as in production.
 * Ends with one JSON line of figures.
 */
import { createHmac } from "node:crypto";
import { createServer, request, type Server } from "node:http";
import { performance } from "node:perf_hooks";
import { createNodeMiddleware, Probot, type ApplicationFunction } from "probot";
import { pino } from "pino";
import { appHarness, githubWorld } from "../test/fakes/app-harness.ts";
import { size } from "./lib/quick.ts";
import { useTempRoot } from "./lib/temp-root.ts";

useTempRoot();

const N = size("BENCH_DELIVERIES", 1000, 100);
const SECRET = "webhook-secret";

async function serve(
  appFn: ApplicationFunction,
  probot: Probot,
): Promise<{ server: Server; port: number }> {
  const middleware = await createNodeMiddleware(appFn, { probot });
  const server = createServer((req, res) => {
    void middleware(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return { server, port: typeof address === "object" && address ? address.port : 0 };
}

function deliver(port: number, name: string, payload: unknown, id: string): Promise<number> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/github/webhooks",
        headers: {
          "content-type": "application/json",
          "x-github-event": name,
          "x-github-delivery": id,
          "x-hub-signature-256": signature,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => {
          if ((res.statusCode ?? 500) >= 300) reject(new Error(`status ${res.statusCode ?? "?"}`));
          else resolve(performance.now() - started);
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const world = await githubWorld();
const harness = await appHarness({ world });
// The harness's Probot is the one whose installation calls the fake GitHub answers.
const oursServed = await serve(harness.app.appFn, harness.probot);
const bareProbot = new Probot({
  appId: 1,
  privateKey: "unused",
  secret: SECRET,
  log: pino({ level: "silent" }),
});
const bare = await serve((app) => {
  app.on(["issues.labeled", "issue_comment.created"], () => undefined);
}, bareProbot);

const comment = harness.comment("Thanks, looks good to me.");
const labeled = harness.labeled("maintainer", "bug");
const samples = { ours: [] as number[], bare: [] as number[] };
for (let i = 0; i < N + 50; i++) {
  const [name, payload] = i % 2 === 0 ? ["issue_comment", comment] : ["issues", labeled];
  const a = await deliver(oursServed.port, name, payload, `o-${i}`);
  const b = await deliver(bare.port, name, payload, `b-${i}`);
  if (i >= 50) {
    samples.ours.push(a);
    samples.bare.push(b);
  }
}
await harness.app.queue.idle();
oursServed.server.close();
bare.server.close();
world.github.stop();

const figures = {
  bench: "webhooks",
  deliveries: N,
  p50Ms: percentile(samples.ours, 50),
  p99Ms: percentile(samples.ours, 99),
  bareP50Ms: percentile(samples.bare, 50),
  bareP99Ms: percentile(samples.bare, 99),
};
const ratio = {
  p50Ratio: figures.p50Ms / figures.bareP50Ms,
  p99Ratio: figures.p99Ms / figures.bareP99Ms,
};
console.log(
  `orchestrator: p50 ${figures.p50Ms.toFixed(2)} ms, p99 ${figures.p99Ms.toFixed(2)} ms over ${N} signed deliveries (half comments, half labels)`,
);
console.log(
  `bare Probot:  p50 ${figures.bareP50Ms.toFixed(2)} ms, p99 ${figures.bareP99Ms.toFixed(2)} ms; ratio p50 ${ratio.p50Ratio.toFixed(2)}×, p99 ${ratio.p99Ratio.toFixed(2)}×`,
);
console.log(JSON.stringify({ ...figures, ...ratio }));
