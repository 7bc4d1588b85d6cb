import { createHmac, generateKeyPairSync } from "node:crypto";
import { request, type Server } from "node:http";
import { pino } from "pino";
import { Probot, ProbotOctokit, type ApplicationFunction } from "probot";
import { afterEach, describe, expect, it } from "vitest";
import { createAppServer, WEBHOOK_PATH } from "../../src/app/server.ts";

const SECRET = "webhook-secret";
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => {
    if (server) server.close(() => resolve());
    else resolve();
  });
  server = undefined;
});

async function start(
  appFn: ApplicationFunction,
  maxBodyBytes?: number,
): Promise<{ port: number; received: string[] }> {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const probot = new Probot({
    appId: 1,
    privateKey,
    secret: SECRET,
    log: pino({ level: "silent" }),
    Octokit: ProbotOctokit.defaults((o: object) => ({ ...o, throttle: { enabled: false } })),
  });
  const received: string[] = [];
  const wrapped: ApplicationFunction = (app, options) => {
    app.onAny((event) => {
      received.push(event.name);
    });
    return appFn(app, options);
  };
  server = await createAppServer({
    appFn: wrapped,
    probot,
    ...(maxBodyBytes === undefined ? {} : { maxBodyBytes }),
  });
  const s = server;
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const address = s.address();
  return { port: typeof address === "object" && address ? address.port : 0, received };
}

/** Sends a body (as one declared length, or streamed in chunks) and gives the status code. */
function post(
  port: number,
  options: {
    headers?: Record<string, string>;
    body?: string;
    streamBytes?: number;
    declaredBytes?: number;
    path?: string;
  },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        method: "POST",
        path: options.path ?? WEBHOOK_PATH,
        headers: {
          "content-type": "application/json",
          ...(options.declaredBytes === undefined
            ? {}
            : { "content-length": String(options.declaredBytes) }),
          ...options.headers,
        },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    // The server may close the connection while we still send: that is the point.
    req.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ECONNRESET") reject(error);
    });
    if (options.body !== undefined) {
      req.end(options.body);
      return;
    }
    const total = options.streamBytes ?? options.declaredBytes ?? 0;
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = (): void => {
      while (sent < total && !req.destroyed) {
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
}

describe("the App's HTTP server", () => {
  it("refuses a body declared larger than GitHub's 25 MB before reading it or checking its signature", async () => {
    const { port, received } = await start(() => undefined);
    const status = await post(port, {
      declaredBytes: 64 * 1024 * 1024,
      headers: { "x-github-event": "issues", "x-github-delivery": "1" },
    });
    expect(status).toBe(413);
    expect(received).toEqual([]);
  });

  it("cuts off a streamed body that grows past the limit", async () => {
    const { port, received } = await start(() => undefined, 1024 * 1024);
    const status = await post(port, {
      streamBytes: 64 * 1024 * 1024,
      headers: { "x-github-event": "issues", "x-github-delivery": "2" },
    });
    expect(status).toBe(413);
    expect(received).toEqual([]);
  });

  it("passes a signed delivery within the limit to the app, and answers health checks", async () => {
    const { port, received } = await start(() => undefined);
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    const status = await post(port, {
      body,
      headers: {
        "x-github-event": "ping",
        "x-github-delivery": "3",
        "x-hub-signature-256": signature,
      },
    });
    expect(status).toBeLessThan(300);
    expect(received).toEqual(["ping"]);
    const unsigned = await post(port, {
      body,
      headers: { "x-github-event": "ping", "x-github-delivery": "4" },
    });
    expect(unsigned).toBeGreaterThanOrEqual(400);
    expect(received).toEqual(["ping"]);
    const health = await fetch(`http://127.0.0.1:${String(port)}/healthz`);
    expect(health.status).toBe(200);
  });

  it("takes deliveries at the address Probot's manifest registers (`<base>/`) too", async () => {
    const { port, received } = await start(() => undefined);
    const body = JSON.stringify({ zen: "Design for failure.", hook_id: 2 });
    const signature = `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;
    const status = await post(port, {
      path: "/",
      body,
      headers: {
        "x-github-event": "ping",
        "x-github-delivery": "5",
        "x-hub-signature-256": signature,
      },
    });
    expect(status).toBeLessThan(300);
    expect(received).toEqual(["ping"]);
  });
});
