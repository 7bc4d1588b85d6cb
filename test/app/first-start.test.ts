// A maintainer's first start, through the real start path (`npm start`'s command, spawned in a
// folder holding what a clone holds at its root): no credentials → the setup page; GitHub's
// manifest conversion writes `.env`; the next start reads it and runs the App. GitHub is a
// loopback stand-in checked against its OpenAPI description (test/fakes/loopback-github.ts),
// reached the way Probot reaches GitHub Enterprise Server (`GHE_HOST`, `GHE_PROTOCOL`).
import type { ChildProcess } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/config/package-root.ts";
import { APP_ID, appGitHub, freePort, startApp, stopApp } from "../fakes/app-process.ts";

let clone: string;
let github: Awaited<ReturnType<typeof appGitHub>>;
const running: ChildProcess[] = [];

beforeAll(async () => {
  clone = await mkdtemp(join(tmpdir(), "first-start-"));
  // What Probot reads from the working directory: the manifest and the package's name.
  for (const file of ["app.yml", "package.json"])
    await copyFile(join(PACKAGE_ROOT, file), join(clone, file));
  github = await appGitHub();
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
    const env = {
      PORT: String(port),
      HOST: "127.0.0.1",
      GHE_HOST: github.host,
      GHE_PROTOCOL: "http",
      // No network here: Probot's setup would ask smee.io for a channel.
      NO_SMEE_SETUP: "true",
      ANTHROPIC_API_KEY: "sk-ant-api03-not-a-real-key",
    };

    // 1. No credentials: the setup page, and /healthz answers while in setup.
    const setup = await startApp(clone, env, running);
    expect(setup.child.exitCode, setup.output()).toBeNull();
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
    expect(await stopApp(setup.child)).toBe(0);

    // 3. The restart reads .env: the App runs, and its key signs what GitHub accepts.
    const app = await startApp(clone, env, running);
    expect(app.child.exitCode, app.output()).toBeNull();
    const ready = (await (await fetch(`${base}/readyz`)).json()) as {
      checks: Record<string, string>;
    };
    expect(ready.checks["github"]).toBe("ok");
    expect(github.requests).toContain("GET /app");
    expect(await stopApp(app.child)).toBe(0);
    expect(github.problems).toEqual([]);
  }, 120_000);
});
