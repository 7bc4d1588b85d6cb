// A maintainer's first start, through the real start path (`npm start`'s command, spawned in a
// folder holding what a clone holds at its root): no credentials → the setup page; GitHub's
// manifest conversion writes `.env`; the next start reads it and runs the App. GitHub is a
// loopback stand-in checked against its OpenAPI description (test/fakes/loopback-github.ts),
// reached the way Probot reaches GitHub Enterprise Server (`GHE_HOST`, `GHE_PROTOCOL`).
import { spawn, type ChildProcess } from "node:child_process";
import { createVerify, generateKeyPairSync } from "node:crypto";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/config/package-root.ts";
import { loopbackGitHub, type LoopbackRequest } from "../fakes/loopback-github.ts";
import { example } from "../fakes/openapi.ts";

const keys = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const APP_ID = 4_242_001;
let clone: string;
let github: Awaited<ReturnType<typeof loopbackGitHub>>;
const running: ChildProcess[] = [];

/** Whether a request carries a JWT for our App signed with its key (RS256, `iss` = the App id). */
function signedByApp(request: LoopbackRequest): boolean {
  const token = /^bearer (.+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? "";
  const [header = "", payload = "", signature = ""] = token.split(".");
  const verified = createVerify("RSA-SHA256")
    .update(`${header}.${payload}`)
    .verify(keys.publicKey, Buffer.from(signature, "base64url"));
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString() || "{}") as {
    iss?: unknown;
  };
  return verified && String(claims.iss) === String(APP_ID);
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => {
        resolve(port);
      });
    });
  });

/** `npm start`'s command, run in the clone with only what a shell there would have. */
async function npmStart(port: number): Promise<{ child: ChildProcess; output: () => string }> {
  const pkg = JSON.parse(await readFile(join(PACKAGE_ROOT, "package.json"), "utf8")) as {
    scripts: { start: string };
  };
  const [command, ...args] = pkg.scripts.start.split(" ");
  expect(command).toBe("node");
  const child = spawn(
    process.execPath,
    args.map((a) => join(PACKAGE_ROOT, a)),
    {
      cwd: clone,
      env: {
        PATH: "/usr/bin:/bin",
        HOME: clone,
        PORT: String(port),
        HOST: "127.0.0.1",
        GHE_HOST: github.host,
        GHE_PROTOCOL: "http",
        // No network here: Probot's setup would ask smee.io for a channel.
        NO_SMEE_SETUP: "true",
        ANTHROPIC_API_KEY: "sk-ant-api03-not-a-real-key",
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  running.push(child);
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${String(port)}/healthz`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`the App exited: ${output}`);
    const ok = await fetch(url)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { child, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the App did not answer at ${url}: ${output}`);
}

async function stop(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  return exited;
}

beforeAll(async () => {
  clone = await mkdtemp(join(tmpdir(), "first-start-"));
  // What Probot reads from the working directory: the manifest and the package's name.
  for (const file of ["app.yml", "package.json"])
    await copyFile(join(PACKAGE_ROOT, file), join(clone, file));
  github = await loopbackGitHub({
    "apps/create-from-manifest": ({ params }) => ({
      status: 201,
      body: {
        ...example("integration-from-manifest"),
        id: APP_ID,
        slug: `orchestrator-${params["code"] ?? ""}`,
        pem: keys.privateKey,
        webhook_secret: "a-webhook-secret-from-github",
      },
    }),
    "apps/get-authenticated": (request) =>
      signedByApp(request)
        ? { status: 200, body: { ...example("integration"), id: APP_ID } }
        : { status: 401, body: { message: "A JSON web token could not be decoded" } },
    "apps/list-installations": () => ({ status: 200, body: [] }),
  });
});

afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  await github.close();
  await rm(clone, { recursive: true, force: true });
});

describe("the first start of the App, as a maintainer does it", () => {
  it("registers from the setup page, writes .env, and runs from it after a restart", async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${String(port)}`;

    // 1. No credentials: the setup page, and /healthz answers while in setup.
    const setup = await npmStart(port);
    const page = await fetch(`${base}/probot`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toMatch(/Register GitHub App/i);
    // Probot's page posts the manifest as the value of its button (views/setup.js).
    const manifest = JSON.parse(/name="manifest"[^>]*value='([^']*)'/.exec(html)?.[1] ?? "{}") as {
      hook_attributes?: { url?: string };
      default_events?: string[];
      redirect_url?: string;
    };
    // Probot's webhook URL: the setup page's own address, which the App takes deliveries at.
    expect(manifest.hook_attributes?.url).toBe(`${base}/`);
    expect(manifest.redirect_url).toBe(`${base}/probot/setup`);
    expect(manifest.default_events).not.toContain("installation");

    // 2. GitHub redirects back with a code; Probot converts it and writes .env.
    const back = await fetch(`${base}/probot/setup?code=first-day`, { redirect: "manual" });
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toMatch(/\/installations\/new$/);
    expect(github.requests).toContain("POST /app-manifests/first-day/conversions");
    const dotEnv = await readFile(join(clone, ".env"), "utf8");
    expect(dotEnv).toContain(`APP_ID=${String(APP_ID)}`);
    expect(dotEnv).toMatch(/^PRIVATE_KEY="-----BEGIN RSA PRIVATE KEY-----\\n/m);
    expect(setup.output()).toMatch(/restart to run it/);
    expect(await stop(setup.child)).toBe(0);

    // 3. The restart reads .env: the App runs, and its key signs what GitHub accepts.
    const app = await npmStart(port);
    const ready = (await (await fetch(`${base}/readyz`)).json()) as {
      checks: Record<string, string>;
    };
    expect(ready.checks["github"]).toBe("ok");
    expect(github.requests).toContain("GET /app");
    expect(app.output()).not.toMatch(/Cannot find package/);
    expect(await stop(app.child)).toBe(0);
    expect(github.problems).toEqual([]);
  }, 120_000);
});
