// What the Docker image does, without Docker: its COPY lines into a fresh folder, production
// dependencies only (`npm ci --omit=dev --ignore-scripts`, from the lock file), then its CMD.
// Proves the production dependency set and the copied files are complete.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/config/package-root.ts";

let image: string;
const running: ChildProcess[] = [];

/** The image's `COPY <sources> <dest>` sources, in order. */
async function copiedByImage(): Promise<string[]> {
  const dockerfile = await readFile(join(PACKAGE_ROOT, "Dockerfile"), "utf8");
  return [...dockerfile.matchAll(/^COPY\s+(.+)$/gm)].flatMap((m) =>
    (m[1] ?? "").trim().split(/\s+/).slice(0, -1),
  );
}

/** The image's CMD, as an argument list. */
async function imageCommand(): Promise<string[]> {
  const dockerfile = await readFile(join(PACKAGE_ROOT, "Dockerfile"), "utf8");
  const cmd = /^CMD\s+(\[.+\])$/m.exec(dockerfile)?.[1];
  if (!cmd) throw new Error("the Dockerfile has no exec-form CMD");
  return JSON.parse(cmd) as string[];
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

/** Starts the image's CMD in the folder; resolves once `url` answers. */
async function start(env: Record<string, string>, url: string): Promise<ChildProcess> {
  const [command = "", ...args] = await imageCommand();
  const child = spawn(command === "node" ? process.execPath : command, args, {
    cwd: image,
    // Only what a container would have: no dev tooling on PATH, no variables of ours.
    env: { PATH: "/usr/bin:/bin", HOME: image, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  for (let i = 0; i < 150; i++) {
    if (child.exitCode !== null) throw new Error(`the App exited: ${output}`);
    const ok = await fetch(url)
      .then(() => true)
      .catch(() => false);
    if (ok) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the App did not answer at ${url}: ${output}`);
}

beforeAll(async () => {
  image = await mkdtemp(join(tmpdir(), "app-image-"));
  for (const source of await copiedByImage())
    await cp(join(PACKAGE_ROOT, source), join(image, source), { recursive: true });
  const install = spawnSync(
    "npm",
    ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline"],
    { cwd: image, encoding: "utf8" },
  );
  if (install.status !== 0) throw new Error(`npm ci failed: ${install.stderr}`);
}, 180_000);

afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  await rm(image, { recursive: true, force: true });
});

describe("the App as the Docker image starts it", () => {
  it("with credentials: answers /healthz, and /readyz says GitHub cannot be reached", async () => {
    const port = await freePort();
    const privateKey = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs1", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    }).privateKey;
    await start(
      {
        NODE_ENV: "production",
        APP_ID: "12345",
        PRIVATE_KEY: privateKey,
        WEBHOOK_SECRET: "a-webhook-secret",
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
        ANTHROPIC_API_KEY: "sk-ant-api03-not-a-real-key",
        // No network here: GitHub's API is a closed port.
        GHE_HOST: "127.0.0.1:9",
      },
      `http://127.0.0.1:${String(port)}/healthz`,
    );
    const health = await fetch(`http://127.0.0.1:${String(port)}/healthz`);
    expect(health.status).toBe(200);
    // The image's own HEALTHCHECK command passes against it.
    const dockerfile = await readFile(join(PACKAGE_ROOT, "Dockerfile"), "utf8");
    const check = /^HEALTHCHECK[^\n]*\\\n\s*CMD (.+)$/m.exec(dockerfile)?.[1] ?? "false";
    const probe = spawnSync("sh", ["-c", check], {
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, PORT: String(port) },
    });
    expect(probe.status).toBe(0);
    const ready = await fetch(`http://127.0.0.1:${String(port)}/readyz`);
    expect(ready.status).toBe(503);
    const answer = (await ready.json()) as { ready: boolean; checks: Record<string, string> };
    expect(answer.checks["prompts"]).toBe("ok");
    expect(answer.checks["providers"]).toBe("ok");
    expect(answer.checks["github"]).not.toBe("ok");
  });

  it("without credentials: the manifest setup page answers", async () => {
    const port = await freePort();
    await start(
      { PORT: String(port), LOG_LEVEL: "fatal" },
      `http://127.0.0.1:${String(port)}/probot`,
    );
    const page = await fetch(`http://127.0.0.1:${String(port)}/probot`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/Register GitHub App/i);
  });

  it("a bad variable stops the start with one message naming it", async () => {
    const [command = "", ...args] = await imageCommand();
    const result = spawnSync(command === "node" ? process.execPath : command, args, {
      cwd: image,
      env: { PATH: "/usr/bin:/bin", ORCHESTRATOR_CONCURRENCY: "many", NODE_ENV: "production" },
      encoding: "utf8",
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^orchestrator cannot start: /);
    expect(result.stderr).toContain("ORCHESTRATOR_CONCURRENCY: must be a whole number");
    expect(result.stderr).toContain("WEBHOOK_SECRET");
  });
});
