import { chmod, mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { describe, expect, it } from "vitest";
import { CommandGate } from "../../src/adapters/local/command-gate.ts";

async function gate(
  commands: ConstructorParameters<typeof CommandGate>[0]["commands"],
  environment?: Record<string, string>,
) {
  const dir = await mkdtemp(join(tmpdir(), "gate-"));
  return new CommandGate({
    commands,
    directoryOf: () => dir,
    now: () => Date.now(),
    ...(environment ? { environment } : {}),
  });
}

/** A folder holding a `node` that says whose it is. */
async function fakeNode(root: string, folder: string, says: string): Promise<string> {
  const bin = join(root, folder);
  await mkdir(bin, { recursive: true });
  await writeFile(join(bin, "node"), `#!/bin/sh\necho "${says}"\n`);
  await chmod(join(bin, "node"), 0o755);
  return bin;
}

describe("CommandGate", () => {
  it("passes when every command exits 0 without warnings", async () => {
    const g = await gate([{ name: "ok", run: "echo all good", timeoutMs: 10_000 }]);
    expect(await g.run({ task: "T" })).toEqual({
      local: true,
      passed: true,
      checks: [expect.objectContaining({ name: "ok", passed: true, reason: null, output: "" })],
    });
  });

  it("fails on a non-zero exit and keeps the output", async () => {
    const g = await gate([
      { name: "t", run: "echo 'AssertionError: 1 !== 2'; exit 3", timeoutMs: 10_000 },
    ]);
    const result = await g.run({ task: "T" });
    expect(result.passed).toBe(false);
    expect(result.checks[0]).toMatchObject({
      reason: "exit code 3",
      output: expect.stringContaining("AssertionError"),
    });
  });

  it("fingerprints a failure: the same failure in another run (other timings) is recognised", async () => {
    const run = (ms: number, actual: string) =>
      gate([
        {
          name: "t",
          run: `printf 'not ok 2 - cuts long text # time=${ms}ms\\n  ---\\n  error: |-\\n    ${actual} !== hello\\n  ...\\n'; exit 1`,
          timeoutMs: 10_000,
        },
      ]).then((g) => g.run({ task: "T" }));
    const first = (await run(12, "hello wo")).checks[0]?.fingerprint;
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect((await run(40, "hello wo")).checks[0]?.fingerprint).toBe(first);
    expect((await run(12, "hel")).checks[0]?.fingerprint).not.toBe(first);
  });

  it("ZERO-WARNINGS: fails on a warning line even with exit code 0", async () => {
    const g = await gate([
      {
        name: "lint",
        run: "echo 'src/a.ts: warning: unused x'",
        timeoutMs: 10_000,
        warningPattern: "warning",
      },
    ]);
    expect((await g.run({ task: "T" })).checks[0]).toMatchObject({
      passed: false,
      reason: "ZERO-WARNINGS: 1 warning line(s)",
    });
  });

  it("kills a command that hangs, with its children, and says so", async () => {
    const g = await gate([{ name: "hang", run: "sleep 30 & sleep 30", timeoutMs: 300 }]);
    const started = Date.now();
    const result = await g.run({ task: "T" });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.checks[0]).toMatchObject({ passed: false, reason: "timed out after 300 ms" });
  });

  it("runs in the user's environment: their PATH and node, not what `npm run` put before them", async () => {
    const root = await mkdtemp(join(tmpdir(), "gate-env-"));
    const ours = await fakeNode(root, "orchestrator/node_modules/.bin", "our node");
    const above = await fakeNode(root, "node_modules/.bin", "our parent's node");
    const gyp = await fakeNode(root, "npm/node_modules/@npmcli/run-script/lib/node-gyp-bin", "gyp");
    const user = await fakeNode(root, "home/.nvm/versions/node/v20/bin", "the user's node");
    // What `npm run orchestrator` hands our process (@npmcli/run-script set-path.js, set-envs.js).
    const started = {
      PATH: [ours, above, gyp, user, "/usr/bin", "/bin"].join(delimiter),
      HOME: join(root, "home"),
      LANG: "de_DE.UTF-8",
      NODE_ENV: "development",
      INIT_CWD: root,
      NODE: join(ours, "node"),
      COLOR: "1",
      npm_node_execpath: join(ours, "node"),
      npm_lifecycle_event: "orchestrator",
      npm_config_user_agent: "npm/10",
      npm_package_json: join(root, "orchestrator/package.json"),
      ANTHROPIC_API_KEY: "sk-ant-canary",
    };
    const g = await gate([{ name: "env", run: "node; env; exit 1", timeoutMs: 10_000 }], started);
    const output = (await g.run({ task: "T" })).checks[0]?.output ?? "";
    expect(output.split("\n")[0]).toBe("the user's node");
    expect(output).toContain(`PATH=${[user, "/usr/bin", "/bin"].join(delimiter)}\n`);
    expect(output).toContain("LANG=de_DE.UTF-8");
    expect(output).toContain("NODE_ENV=development");
    expect(output).toContain(`HOME=${join(root, "home")}`);
    for (const ourVariable of [/^npm_/im, /^INIT_CWD=/m, /^NODE=/m, /^COLOR=/m, /sk-ant-canary/])
      expect(output).not.toMatch(ourVariable);
  });

  it("leaves PATH alone when no package manager started us", async () => {
    const root = await mkdtemp(join(tmpdir(), "gate-env-"));
    const local = await fakeNode(root, "project/node_modules/.bin", "the user's own first");
    const g = await gate([{ name: "env", run: "node; exit 1", timeoutMs: 10_000 }], {
      PATH: [local, "/usr/bin", "/bin"].join(delimiter),
    });
    expect((await g.run({ task: "T" })).checks[0]?.output).toContain("the user's own first");
  });

  it("does not pass credentials to the commands, and redacts any that appear", async () => {
    process.env["ORCH_TEST_API_KEY"] = "should-not-leak";
    try {
      const g = await gate([
        {
          name: "env",
          run: `echo "key=$ORCH_TEST_API_KEY ghp_${"a".repeat(36)}"; exit 1`,
          timeoutMs: 10_000,
        },
      ]);
      const out = (await g.run({ task: "T" })).checks[0]?.output ?? "";
      expect(out).not.toContain("should-not-leak");
      expect(out).not.toContain("ghp_");
    } finally {
      delete process.env["ORCH_TEST_API_KEY"];
    }
  });
});
