// What the Docker image does, without Docker: its build stage's bundle (`RUN node
// scripts/build-app.ts …`, the same script), its runtime stage's COPY lines into a fresh folder
// (no node_modules there or above it), then its ENTRYPOINT's command (tini, when installed
// here; otherwise the CMD alone). Proves the bundle and the copied files are all it needs.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { cp, mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGE_ROOT } from "../../src/config/package-root.ts";

let image: string;
let built: string;
const running: ChildProcess[] = [];

/** The Dockerfile's stages: each stage's lines, by its name (`AS x`) or `runtime` for the last. */
async function stages(): Promise<Map<string, string[]>> {
  const dockerfile = await readFile(join(PACKAGE_ROOT, "Dockerfile"), "utf8");
  const lines = dockerfile.replace(/\\\n\s*/g, " ").split("\n");
  const found = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of lines) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) {
      current = [line];
      found.set(from[2] ?? `stage-${String(found.size)}`, current);
    } else current.push(line);
  }
  const names = [...found.keys()];
  const last = names[names.length - 1];
  if (last) found.set("runtime", found.get(last) ?? []);
  return found;
}

/** The runtime stage's `COPY [--from=stage] <sources> <dest>`, in order. */
async function copiedByImage(): Promise<
  { from: string | null; sources: string[]; dest: string }[]
> {
  return ((await stages()).get("runtime") ?? []).flatMap((line) => {
    const m = /^COPY\s+(?:--from=(\S+)\s+)?(.+)$/.exec(line);
    if (!m) return [];
    const parts = (m[2] ?? "").trim().split(/\s+/);
    return [
      { from: m[1] ?? null, sources: parts.slice(0, -1), dest: parts[parts.length - 1] ?? "" },
    ];
  });
}

/** The image's ENTRYPOINT and CMD (exec form), as one argument list. */
async function imageCommand(): Promise<string[]> {
  const runtime = (await stages()).get("runtime") ?? [];
  const exec = (word: string) => {
    const line = runtime.find((l) => l.startsWith(`${word} `));
    return line ? (JSON.parse(line.slice(word.length + 1)) as string[]) : [];
  };
  const command = [...exec("ENTRYPOINT"), ...exec("CMD")];
  if (command.length === 0) throw new Error("the Dockerfile has no exec-form CMD");
  return command;
}

/** The command as this machine can run it: node is ours, tini only when installed. */
async function localCommand(): Promise<string[]> {
  const command = await imageCommand();
  const node = command.indexOf("node");
  const init = command.slice(0, node);
  const rest = [process.execPath, ...command.slice(node + 1)];
  return init[0] && existsSync(init[0]) ? [...init, ...rest] : rest;
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
  const [command = "", ...args] = await localCommand();
  const child = spawn(command, args, {
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
  built = await mkdtemp(join(tmpdir(), "app-build-"));
  // The build stage's RUN line, with the same script and arguments.
  const run = ((await stages()).get("build") ?? []).find((l) => l.startsWith("RUN node "));
  const [script = "", out = ""] = (run ?? "").replace(/^RUN node /, "").split(/\s+/);
  expect(script).toBe("scripts/build-app.ts");
  const bundle = spawnSync(process.execPath, [join(PACKAGE_ROOT, script), join(built, out)], {
    encoding: "utf8",
  });
  if (bundle.status !== 0) throw new Error(`the bundle failed: ${bundle.stderr}`);
  const workdir = ((await stages()).get("build") ?? [])
    .find((l) => l.startsWith("WORKDIR "))
    ?.slice("WORKDIR ".length)
    .trim();
  for (const { from, sources, dest } of await copiedByImage())
    for (const source of sources) {
      // `COPY --from=build <path>`: what the build stage made, under its WORKDIR.
      const origin = from
        ? join(built, relative(workdir ?? "/", source))
        : join(PACKAGE_ROOT, source);
      // Docker: into a folder when the destination ends with "/", else to that path.
      const target = dest.endsWith("/") ? join(image, dest, basename(source)) : join(image, dest);
      await mkdir(dirname(target), { recursive: true });
      await cp(origin, target, { recursive: true });
    }
}, 120_000);

afterAll(async () => {
  for (const child of running) child.kill("SIGKILL");
  await rm(image, { recursive: true, force: true });
  await rm(built, { recursive: true, force: true });
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

  it("carries no node_modules: the bundle and its data files are the whole payload", async () => {
    expect(existsSync(join(image, "node_modules"))).toBe(false);
    expect((await stat(join(image, "build", "app.js"))).size).toBeGreaterThan(0);
    expect(existsSync(join(image, "LICENSE"))).toBe(true);
  });

  it("a bad variable stops the start with one message naming it", async () => {
    const [command = "", ...args] = await localCommand();
    const result = spawnSync(command, args, {
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
