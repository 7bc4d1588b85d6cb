// The variables Probot documents (https://probot.github.io/docs/configuration/), as the App's
// real start (`npm start`'s command, spawned) reads them: the private key in each of its forms,
// WEBHOOK_PATH and WEBHOOK_PROXY_URL. Whether a key is usable is GitHub's call: the loopback
// GitHub answers `GET /app` only to a JWT signed with the App's key (test/fakes/app-process.ts).
import type { ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { APP_ID, APP_KEYS, appGitHub, freePort, startApp, stopApp } from "../fakes/app-process.ts";

const SECRET = "a-webhook-secret";
let github: Awaited<ReturnType<typeof appGitHub>>;
const running: ChildProcess[] = [];
const folders: string[] = [];

beforeAll(async () => {
  github = await appGitHub();
});
afterEach(async () => {
  for (const child of running.splice(0)) await stopApp(child);
  for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
});
afterAll(async () => {
  await github.close();
});

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "probot-env-"));
  folders.push(dir);
  return dir;
}

/** The App started in `cwd` with credentials but the key, and these variables. */
async function start(cwd: string, env: Record<string, string>) {
  const port = await freePort();
  const app = await startApp(
    cwd,
    {
      APP_ID: String(APP_ID),
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: "127.0.0.1",
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      ANTHROPIC_API_KEY: "sk-ant-api03-not-a-real-key",
      ...env,
    },
    running,
  );
  return { ...app, base: `http://127.0.0.1:${String(port)}` };
}

/** What `/readyz` says of GitHub: "ok" only when GitHub took the App's JWT. */
async function githubCheck(base: string): Promise<string | undefined> {
  const answer = (await (await fetch(`${base}/readyz`)).json()) as {
    checks: Record<string, string>;
  };
  return answer.checks["github"];
}

/** A signed `issues.labeled` delivery from GitHub's examples, for installation 1. */
function labeledDelivery(): { body: string; headers: Record<string, string> } {
  const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as {
    name: string;
    examples: Record<string, unknown>[];
  }[];
  const found = examples
    .find((e) => e.name === "issues")
    ?.examples.find((e) => e["action"] === "labeled");
  const body = JSON.stringify({
    ...found,
    installation: { id: 1, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==" },
  });
  return {
    body,
    headers: {
      "x-github-event": "issues",
      "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
      "content-type": "application/json",
    },
  };
}

describe("the App's private key, in every form Probot documents", () => {
  it("takes PRIVATE_KEY as base64 (Probot's form for one-line environments)", async () => {
    const app = await start(await folder(), {
      PRIVATE_KEY: Buffer.from(APP_KEYS.privateKey).toString("base64"),
    });
    expect(app.child.exitCode, app.output()).toBeNull();
    expect(await githubCheck(app.base)).toBe("ok");
  }, 60_000);

  it("takes a quoted PEM as `docker run --env-file .env` passes it, quotes and \\n included", async () => {
    // Probot's setup writes `PRIVATE_KEY="-----BEGIN …\n…"`; Docker's env-file keeps the quotes.
    const app = await start(await folder(), {
      PRIVATE_KEY: `"${APP_KEYS.privateKey.replace(/\n/g, "\\n")}"`,
    });
    expect(app.child.exitCode, app.output()).toBeNull();
    expect(await githubCheck(app.base)).toBe("ok");
  }, 60_000);

  it("finds the one *.pem file in the working directory", async () => {
    const cwd = await folder();
    await writeFile(join(cwd, "orchestrator.2026-01-01.private-key.pem"), APP_KEYS.privateKey);
    const app = await start(cwd, {});
    expect(app.child.exitCode, app.output()).toBeNull();
    expect(await githubCheck(app.base)).toBe("ok");
  }, 60_000);

  it("refuses a key that cannot sign, naming the variable", async () => {
    const app = await start(await folder(), {
      PRIVATE_KEY: "-----BEGIN RSA PRIVATE KEY-----\\nbm90IGEga2V5\\n-----END RSA PRIVATE KEY-----",
    });
    expect(app.child.exitCode).toBe(1);
    expect(app.output()).toMatch(
      /^orchestrator cannot start: [\s\S]*PRIVATE_KEY: is not a usable private key/m,
    );
  }, 60_000);
});

describe("where webhooks come in", () => {
  it("takes deliveries at WEBHOOK_PATH", async () => {
    const app = await start(await folder(), {
      PRIVATE_KEY: APP_KEYS.privateKey,
      WEBHOOK_PATH: "/hooks/github",
    });
    const delivery = labeledDelivery();
    const moved = await fetch(`${app.base}/hooks/github`, { method: "POST", ...delivery });
    expect(moved.status).toBeLessThan(300);
    const old = await fetch(`${app.base}/api/github/webhooks`, { method: "POST", ...delivery });
    expect(old.status).toBe(404);
  }, 60_000);

  it("reads deliveries from the WEBHOOK_PROXY_URL channel (smee) and handles them", async () => {
    // A smee.io channel on loopback: an event stream whose messages carry each delivery's
    // headers and body, as smee-client reads them (node_modules/smee-client/index.js).
    const delivery = labeledDelivery();
    const listeners: ServerResponse[] = [];
    const channel: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      res.write(": ready\n\n");
      listeners.push(res);
    });
    await new Promise<void>((resolve) => channel.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = channel.address() as { port: number };
      const app = await start(await folder(), {
        PRIVATE_KEY: APP_KEYS.privateKey,
        WEBHOOK_PROXY_URL: `http://127.0.0.1:${String(port)}/orchestrator-dev`,
      });
      expect(app.child.exitCode, app.output()).toBeNull();
      for (let i = 0; i < 200 && listeners.length === 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(listeners.length, app.output()).toBe(1);
      const before = github.requests.length;
      const message = { ...delivery.headers, body: JSON.parse(delivery.body) as unknown };
      for (const res of listeners) res.write(`data: ${JSON.stringify(message)}\n\n`);
      // The delivery's work asks GitHub for the installation's token: it reached the handler.
      const token = "POST /app/installations/1/access_tokens";
      for (let i = 0; i < 200 && !github.requests.slice(before).includes(token); i++)
        await new Promise((r) => setTimeout(r, 50));
      expect(github.requests.slice(before)).toContain(token);
    } finally {
      for (const res of listeners) res.end();
      channel.closeAllConnections();
      await new Promise((resolve) => channel.close(resolve));
    }
  }, 60_000);
});
