import { spawn, type ChildProcess } from "node:child_process";
import { createVerify, generateKeyPairSync } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer } from "node:net";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../src/config/package-root.ts";
import { loopbackGitHub, type LoopbackRequest } from "./loopback-github.ts";
import { example } from "./openapi.ts";

/** The App's id the stand-in GitHub knows. */
export const APP_ID = 4_242_001;

/** A key pair for the App: GitHub keeps the public half. */
export const APP_KEYS = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

/** Whether a request carries a JWT for our App signed with its key (RS256, `iss` = the App id). */
function signedByApp(request: LoopbackRequest): boolean {
  const token = /^bearer (.+)$/i.exec(request.headers.authorization ?? "")?.[1] ?? "";
  const [header = "", payload = "", signature = ""] = token.split(".");
  const verified = createVerify("RSA-SHA256")
    .update(`${header}.${payload}`)
    .verify(APP_KEYS.publicKey, Buffer.from(signature, "base64url"));
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString() || "{}") as {
    iss?: unknown;
  };
  return verified && String(claims.iss) === String(APP_ID);
}

/**
 * GitHub for a spawned App, on loopback: the manifest conversion (handing out `APP_KEYS`), and
 * the App's JWT routes, which answer only a JWT signed with that key (GitHub's 401 otherwise).
 */
export function appGitHub(): ReturnType<typeof loopbackGitHub> {
  const app = (request: LoopbackRequest, ok: () => { status: number; body: unknown }) =>
    signedByApp(request)
      ? ok()
      : { status: 401, body: { message: "A JSON web token could not be decoded" } };
  return loopbackGitHub({
    "apps/create-from-manifest": ({ params }) => ({
      status: 201,
      body: {
        ...example("integration-from-manifest"),
        id: APP_ID,
        slug: `orchestrator-${params["code"] ?? ""}`,
        pem: APP_KEYS.privateKey,
        webhook_secret: "a-webhook-secret-from-github",
      },
    }),
    "apps/get-authenticated": (request) =>
      app(request, () => ({ status: 200, body: { ...example("integration"), id: APP_ID } })),
    "apps/list-installations": (request) => app(request, () => ({ status: 200, body: [] })),
    // Refused, so the work a delivery starts stops here; the request is what a test reads.
    "apps/create-installation-access-token": () => ({
      status: 404,
      body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" },
    }),
  });
}

export const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => {
        resolve(port);
      });
    });
  });

/** A spawned App: its process and what it printed so far. */
export interface AppProcess {
  readonly child: ChildProcess;
  output(): string;
}

/** `npm start`'s command (from package.json), its arguments resolved against the package. */
export async function npmStartCommand(): Promise<string[]> {
  const pkg = JSON.parse(await readFile(join(PACKAGE_ROOT, "package.json"), "utf8")) as {
    scripts: { start: string };
  };
  const [command, ...args] = pkg.scripts.start.split(" ");
  if (command !== "node") throw new Error(`npm start runs ${String(command)}, not node`);
  return args.map((a) => join(PACKAGE_ROOT, a));
}

/**
 * Spawns `npm start`'s command in `cwd` with only `env` (and a PATH without our tools); resolves
 * once `/healthz` answers 200 on `env.PORT`, or with the process when it exits first.
 */
export async function startApp(
  cwd: string,
  env: Readonly<Record<string, string>>,
  running: ChildProcess[],
): Promise<AppProcess> {
  const child = spawn(process.execPath, await npmStartCommand(), {
    cwd,
    env: { PATH: "/usr/bin:/bin", HOME: cwd, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${env["PORT"] ?? "3000"}/healthz`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) {
      await exited;
      return { child, output: () => output };
    }
    const ok = await fetch(url)
      .then((r) => r.status === 200)
      .catch(() => false);
    if (ok) return { child, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the App did not answer at ${url}: ${output}`);
}

/** SIGTERM, then the exit code. */
export async function stopApp(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  return exited;
}
