import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { probe, SANDBOXES } from "../../src/adapters/sandbox/registry.ts";
import { DEFAULT_LIMITS, type Sandbox, type SandboxLimits } from "../../src/ports/sandbox.ts";

/**
 * Each guarantee of the `Sandbox` port, tried by a command that would break it. bwrap holds all
 * of them; `none` (the user's explicit opt-in) holds the bounds and the credential-free
 * environment only, and is run on those.
 */
const bwrap = SANDBOXES.bwrap();
const bwrapProblem = await probe(bwrap);
// Skipped where bubblewrap is missing (`.ci/run` installs it) or cannot make namespaces (a
// container without user namespaces), with the reason on stderr; ORCHESTRATOR_REQUIRE_SANDBOX=1
// turns a broken bubblewrap into a failure.
const bwrapInstalled = process.env["PATH"]
  ?.split(":")
  .some((dir) => dir !== "" && existsSync(join(dir, "bwrap")));
const required = process.env["ORCHESTRATOR_REQUIRE_SANDBOX"] === "1";
const bwrapWorks = bwrapProblem === null || required;
if (!bwrapWorks)
  process.stderr.write(
    `sandbox contract: bwrap ${bwrapInstalled ? `does not work here (${bwrapProblem})` : "is not installed"}: its tests skip\n`,
  );

const CANARY = `canary-${randomBytes(8).toString("hex")}`;
const CANARY_ENV = "SANDBOX_CANARY_API_KEY";
const CANARY_PLAIN = "SANDBOX_CANARY_PLAIN";
let root: string;
let tree: string;
let outside: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "contract-sandbox-"));
  tree = join(root, "tree");
  outside = join(root, "outside");
  await mkdir(tree);
  await mkdir(outside);
  await writeFile(join(outside, "secret.txt"), `${CANARY}\n`);
  await writeFile(join(tree, "inside.txt"), "hello from the tree\n");
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const limits = (more: Partial<SandboxLimits> = {}): SandboxLimits => ({
  ...DEFAULT_LIMITS,
  timeoutMs: 20_000,
  ...more,
});

/** Host processes whose command line holds `mark`. */
function running(mark: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, "utf8").includes(mark)) found.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return found;
}

const backends: [string, Sandbox, boolean][] = [
  ["bwrap", bwrap, bwrapWorks],
  ["none", SANDBOXES.none(), true],
];

describe.each(backends)("Sandbox contract, bounds: %s", (_name, sandbox, works) => {
  const run = (command: string, more: Partial<SandboxLimits> = {}, network = false) =>
    sandbox.run({ command, tree, network, limits: limits(more) });

  it.skipIf(!works)("runs in the tree and gives the exit code and the output", async () => {
    const result = await run("cat inside.txt; echo err >&2; exit 3");
    expect(result).toEqual({
      exitCode: 3,
      output: expect.stringMatching(/hello from the tree\n[\s\S]*err/),
      truncated: false,
      stopped: null,
    });
  });

  it.skipIf(!works)("kills a command at its wall time with everything it started", async () => {
    const mark = String(900_000 + Math.floor(Math.random() * 99_999));
    const started = Date.now();
    const result = await run(`sleep ${mark}1 & sleep ${mark}2 & sleep infinity`, {
      timeoutMs: 800,
    });
    expect(result.stopped).toBe("time");
    expect(result.exitCode).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(running(mark)).toEqual([]);
  });

  it.skipIf(!works)("leaves nothing running after a command that ended", async () => {
    const mark = String(800_000 + Math.floor(Math.random() * 99_999));
    const result = await run(
      `(sleep ${mark} &) ; nohup sleep ${mark}3 >/dev/null 2>&1 & echo gone`,
    );
    expect(result.output.trim()).toBe("gone");
    expect(running(mark)).toEqual([]);
  });

  it.skipIf(!works)("stops at the output bound and keeps no more than it", async () => {
    const result = await run("yes", { outputBytes: 10_000 });
    expect(result.stopped).toBe("output");
    expect(result.truncated).toBe(true);
    expect(result.output.length).toBeLessThanOrEqual(10_000);
  });

  it.skipIf(!works)("ends a command past its CPU time", async () => {
    const started = Date.now();
    const result = await run("while :; do :; done", { cpuSeconds: 1 });
    expect(result.exitCode).not.toBe(0);
    expect(result.stopped).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.skipIf(!works)("ends a command past its memory", async () => {
    const result = await run(
      `node -e "const a = []; for (;;) a.push(Buffer.alloc(64 * 1024 * 1024, 1))"`,
      { memoryBytes: 1024 ** 3 },
    );
    expect(result.exitCode).not.toBe(0);
    expect(result.stopped).toBeNull();
  });

  // A flood in a loop rather than `b(){ b|b& };b`: if the bound failed, a real bomb would take
  // the shared machine's process table with it; this one stops at 3,000 sleeps either way.
  it.skipIf(!works)("stops a fork flood at the process bound", async () => {
    const mark = String(700_000 + Math.floor(Math.random() * 99_999));
    const started = Date.now();
    const result = await run(
      `i=0; while [ $i -lt 3000 ]; do sleep ${mark} & i=$((i+1)); done; wait`,
      { processes: 32 },
    );
    expect(result.stopped).toBe("processes");
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(running(mark)).toEqual([]);
  });

  it.skipIf(!works)("passes no credential of the parent's environment", async () => {
    vi.stubEnv(CANARY_ENV, CANARY);
    try {
      const result = await run("env");
      expect(result.exitCode).toBe(0);
      expect(result.output).not.toContain(CANARY);
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe("Sandbox contract, isolation: bwrap", () => {
  it.skipIf(!required)("works where it is required", () => {
    expect(bwrapProblem).toBeNull();
  });

  const run = (command: string, network = false) =>
    bwrap.run({ command, tree, network, limits: limits() });
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
    server = undefined;
  });

  it.skipIf(!bwrapWorks)(
    "passes none of the parent's environment, named like a secret or not",
    async () => {
      vi.stubEnv(CANARY_ENV, CANARY);
      vi.stubEnv(CANARY_PLAIN, CANARY);
      try {
        const result = await run(
          `env; cat /proc/${process.pid}/environ; cat /proc/${process.ppid}/environ; for f in /proc/[0-9]*/environ; do cat "$f"; done; ls /proc`,
        );
        expect(result.output).not.toContain(CANARY);
        // A new PID namespace: the parent is not there at all.
        expect(result.output).toMatch(/No such file/);
      } finally {
        vi.unstubAllEnvs();
      }
    },
  );

  it.skipIf(!bwrapWorks)("shows no file outside the tree (but the system's programs)", async () => {
    const secret = join(outside, "secret.txt");
    const result = await run(
      `cat ${secret}; cat ../outside/secret.txt; ls ${outside}; grep -rs ${CANARY} /tmp /root /home /etc /work /var ${root} 2>/dev/null; echo done`,
    );
    expect(result.output).toContain("done");
    expect(result.output).not.toContain(CANARY);
    // The test can see it: the command could have, had the sandbox let it.
    expect(await readFile(secret, "utf8")).toContain(CANARY);
  });

  it.skipIf(!bwrapWorks)("follows no link out of the tree", async () => {
    const link = join(tree, "link-out");
    await rm(link, { force: true });
    const { symlink } = await import("node:fs/promises");
    await symlink(join(outside, "secret.txt"), link);
    try {
      const result = await run("cat link-out; echo done");
      expect(result.output).not.toContain(CANARY);
    } finally {
      await rm(link, { force: true });
    }
  });

  it.skipIf(!bwrapWorks)("writes only in the tree and its own temp folder", async () => {
    const result = await run(
      [
        `echo x > ${outside}/written`,
        "echo x > /usr/written",
        "echo x > /etc/written",
        "echo x > written-in-tree",
        "echo x > /tmp/private && cat /tmp/private",
        "echo done",
      ].join("; "),
    );
    expect(result.output).toContain("done");
    expect(existsSync(join(outside, "written"))).toBe(false);
    expect(existsSync("/usr/written")).toBe(false);
    expect(existsSync("/etc/written")).toBe(false);
    expect(existsSync("/tmp/private")).toBe(false);
    expect(await readFile(join(tree, "written-in-tree"), "utf8")).toBe("x\n");
    await rm(join(tree, "written-in-tree"));
  });

  it.skipIf(!bwrapWorks)(
    "reaches no network unless granted: a loopback listener here",
    async () => {
      const listening = createServer((socket) => {
        socket.on("error", () => undefined);
        socket.end("hello\n");
      });
      server = listening;
      const port = await new Promise<number>((done) => {
        listening.listen(0, "127.0.0.1", () => {
          const address = listening.address();
          done(typeof address === "object" && address ? address.port : 0);
        });
      });
      const connect = `node -e "require('net').connect(${port}, '127.0.0.1').on('connect', () => { console.log('CONNECTED'); process.exit(0) }).on('error', (e) => console.log('refused', e.code))"`;
      const denied = await run(connect);
      expect(denied.output).toContain("refused");
      expect(denied.output).not.toContain("CONNECTED");
      // The same command with the network granted does connect: the denial is the sandbox's.
      const granted = await run(connect, true);
      expect(granted.output).toContain("CONNECTED");
    },
  );

  it.skipIf(!bwrapWorks)("runs Node's test runner in the tree", async () => {
    await writeFile(
      join(tree, "sum.test.js"),
      "const test = require('node:test'); const assert = require('node:assert');\ntest('sum', () => assert.strictEqual(1 + 1, 3));\n",
    );
    try {
      const result = await run("node --test sum.test.js");
      expect(result.exitCode).toBe(1);
      expect(result.output).toMatch(/not ok 1 - sum|✖ sum/);
    } finally {
      await rm(join(tree, "sum.test.js"));
    }
  });
});
