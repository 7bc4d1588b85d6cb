import { readFileSync } from "node:fs";
import { cpuMs } from "../fakes/cpu-time.ts";
import { describe, expect, it } from "vitest";
import { excerptLog } from "../../src/core/ci/excerpt.ts";
import { cleanLog } from "../../src/core/ci/log-text.ts";

const corpus = (name: string): string =>
  readFileSync(new URL(`../fixtures/ci-logs/${name}`, import.meta.url), "utf8");

/** What a GitHub Actions job log adds around a step's output. */
function asJobLog(output: string, start = Date.UTC(2026, 10, 23, 8, 0, 0)): string {
  const stamp = (i: number): string =>
    new Date(start + i * 137).toISOString().replace("Z", "0000Z");
  const lines = [
    "##[group]Run npm test",
    "\u001b[36;1mnpm test\u001b[0m",
    "shell: /usr/bin/bash -e {0}",
    "##[endgroup]",
    ...output.split("\n").map((l) => (l.includes("FAIL") ? `\u001b[31m${l}\u001b[39m` : l)),
    "##[error]Process completed with exit code 1.",
  ];
  return lines.map((l, i) => `${stamp(i)} ${l}`).join("\n");
}

describe("the CI log corpus", () => {
  it("vitest: the test's full name, the assertion and its diff, the place", () => {
    const e = excerptLog(corpus("vitest-deep-equal.log"));
    expect(e.tools).toEqual(["vitest"]);
    expect(e.failures).toEqual([
      {
        tool: "vitest",
        test: "src/lib/storage/Test.test.ts > Test > case",
        message: "AssertionError: expected 1 to deeply equal 2\n- Expected\n+ Received\n- 1\n+ 2",
        location: "src/lib/storage/Test.test.ts:40:15",
        frames: ["src/lib/storage/Test.test.ts:40:15"],
      },
    ]);
  });

  it("jest: each failing test with its matcher message and the test file's frame", () => {
    const e = excerptLog(corpus("jest-two-failures.log"));
    expect(e.failures.map((f) => [f.test, f.location])).toEqual([
      ["example tests › test that always fails", "tests/example-test.test.js:4:23"],
      ["example tests › test that always fails too", "tests/example-test.test.js:12:22"],
    ]);
    expect(e.failures[0]?.message).toBe(
      "expect(received).toBe(expected) // Object.is equality\nExpected: true\nReceived: false",
    );
  });

  it("node:test: the failing test once (the summary repeats it), the assertion, where the test is", () => {
    const e = excerptLog(corpus("node-test-spec.log"));
    expect(e.failures).toHaveLength(1);
    expect(e.failures[0]).toMatchObject({
      test: "foo",
      location: "repro.mjs:4:7",
      message:
        'AssertionError [ERR_ASSERTION]: The expression evaluated to a falsy value:\nassert.ok("Hello" === "World")',
    });
    expect(e.failures[0]?.frames[0]).toBe("TestContext.<anonymous> (file:///repro.mjs:5:10)");
  });

  it("node:test TAP: `not ok N - name`", () => {
    const e = excerptLog(
      "TAP version 13\nok 1 - keeps short text\nnot ok 2 - cuts long text\n  ---\n  error: 'expected ''hello w…'', got ''hello wo…'''\n  location: '/repo/test/truncate.test.js:9:3'\n  ...\n1..2\n",
    );
    expect(e.failures).toMatchObject([
      { tool: "node:test", test: "cuts long text", location: "/repo/test/truncate.test.js:9:3" },
    ]);
    expect(e.failures[0]?.message).toContain("hello w…");
  });

  it("ava: each failed test with its assertion and the test file's line, and crashes with theirs", () => {
    const e = excerptLog(corpus("ava-default.log"));
    expect(e.tools).toEqual(["ava"]);
    // 13 tests failed, 2 uncaught exceptions and 2 unhandled rejections, as its summary says.
    expect(e.failures).toHaveLength(17);
    expect(e.failures.filter((f) => f.test !== null)).toHaveLength(13);
    expect(e.failures.find((f) => f.test === "test › formatted")).toEqual({
      tool: "ava",
      test: "test › formatted",
      message: "Difference (- actual, + expected):\n- 'foo'\n+ 'bar'",
      location: "test-tap/fixture/report/regular/test.js:22:4",
      frames: ["file://test-tap/fixture/report/regular/test.js:22:4"],
    });
    // The frame of the line the block names, not the helper that threw.
    expect(e.failures.find((f) => f.test === "traces-in-t-throws › notThrows")?.location).toBe(
      "test-tap/fixture/report/regular/traces-in-t-throws.js:16:20",
    );
    expect(e.failures[0]).toMatchObject({
      test: null,
      message:
        "Uncaught exception in bad-test-chain.js: TypeError: test.serial.test is not a function",
      location: "test-tap/fixture/report/regular/bad-test-chain.js:3:13",
    });
    expect(e.refs).toHaveLength(17);
  });

  it("ava: the same failures printed in another order fingerprint the same, each failure on its own", () => {
    const log = corpus("ava-default.log");
    const rule = log.indexOf("  ─\n");
    const details = log.slice(rule + 4, log.lastIndexOf("  ─\n"));
    const blocks = details.split(/\n\n\n\n/);
    const reordered = `${log.slice(0, rule + 4)}${[...blocks].reverse().join("\n\n\n\n")}\n${log.slice(log.lastIndexOf("  ─\n"))}`;
    expect(reordered).not.toBe(log);
    const a = excerptLog(log);
    const b = excerptLog(reordered);
    expect(b.fingerprint).toBe(a.fingerprint);
    expect(new Set(b.refs.map((r) => r.fingerprint))).toEqual(
      new Set(a.refs.map((r) => r.fingerprint)),
    );
    // A run where one of them was fixed keeps the others' fingerprints.
    const fixed = excerptLog(log.replace("  ✘ [fail]: test › formatted\n", ""));
    expect(fixed.fingerprint).not.toBe(a.fingerprint);
    expect(
      fixed.refs.map((r) => r.fingerprint).every((f) => a.refs.some((r) => r.fingerprint === f)),
    ).toBe(true);
  });

  it("mocha: the epilogue's numbered failures, the error and the test's frame (Windows paths too)", () => {
    const e = excerptLog(corpus("mocha-spec.log"));
    expect(e.failures).toEqual([
      {
        tool: "mocha",
        test: "AuthController isAuthorized Should return false if not authorized",
        message: "AssertionError: false == -1",
        location: "test/controllers/auth.controller.spec.js:7:20",
        frames: ["Context.<anonymous> (test/controllers/auth.controller.spec.js:7:20)"],
      },
    ]);
  });

  it("tap: node-tap's list of failed assertions with their places, once each, messages from the details", () => {
    const e = excerptLog(corpus("tap-base.log"));
    expect(e.failures.map((f) => [f.test, f.location])).toEqual([
      ["suite of tests that fail > uhoh, this one throws", "test/node.test.js"],
      ["suite of tests that fail > failer", "test/node.test.js"],
      [
        "suite of tests that fail > uhoh, this one throws > Invalid time value",
        "lib/index.mjs:11:43",
      ],
      ["suite of tests that fail > failer > should be equal", "test/tap.test.js:35:7"],
      ["suite of tests that fail > failer > should be equal", "test/tap.test.js:37:7"],
    ]);
    expect(e.failures[0]?.message).toBe("Invalid time value");
  });

  it("pytest: the node id from the short summary, the message and line from its block", () => {
    const e = excerptLog(corpus("pytest-check.log"));
    expect(e.failures).toEqual([
      {
        tool: "pytest",
        test: "test_example_short_test_summary_info.py::test_message",
        message: "FAILURE: check 1 == 2: comment about a=1 != b=2",
        location: "test_example_short_test_summary_info.py:11",
        frames: [],
      },
    ]);
  });

  it("pytest: `E` lines are the message", () => {
    const log = [
      "=================================== FAILURES ===================================",
      "_______________________________ test_truncate ________________________________",
      "",
      "    def test_truncate():",
      ">       assert truncate('hello world', 8) == 'hello w…'",
      "E       AssertionError: assert 'hello wo…' == 'hello w…'",
      "",
      "tests/test_text.py:7: AssertionError",
      "=========================== short test summary info ============================",
      "FAILED tests/test_text.py::test_truncate - AssertionError: assert 'hello wo…' == 'hello w…'",
    ].join("\n");
    expect(excerptLog(log).failures[0]).toMatchObject({
      test: "tests/test_text.py::test_truncate",
      message: "AssertionError: assert 'hello wo…' == 'hello w…'",
      location: "tests/test_text.py:7",
    });
  });

  it("go test: the failing subtest (not its silent parent), its message and file:line", () => {
    const e = excerptLog(corpus("go-test-skaffold.log"));
    expect(e.failures).toEqual([
      {
        tool: "go test",
        test: "TestWatch/write_file_and_ignored_file",
        message: "Expected [Dockerfile], Actual [Dockerfile.ignored_file]",
        location: "watch_test.go:133",
        frames: [],
      },
    ]);
  });

  it("cargo test: the panicking test, the assertion with its values, the place, the test's own frames", () => {
    const e = excerptLog(corpus("cargo-test-materialize.log"));
    expect(e.failures).toEqual([
      {
        tool: "cargo test",
        test: "test_storage_usage_collection_interval",
        message: "assertion `left == right` failed\nleft: 2929\nright: 0",
        location: "src/environmentd/tests/server.rs:1228:5",
        frames: [
          "test_impl (./tests/server.rs:1228:5)",
          "server::test_storage_usage_collection_interval (./tests/server.rs:1110:1)",
        ],
      },
    ]);
  });

  it("cargo test, old panic format: the quoted message, and every test marked FAILED", () => {
    const e = excerptLog(corpus("cargo-test-loop.log"));
    expect(e.failures.map((f) => f.test)).toEqual([
      "summary",
      "until_error",
      "until_fail",
      "until_success",
      "until_same",
    ]);
    expect(e.failures[0]?.message.split("\n")[0]).toBe(
      "Unexpected stdout, failed diff original var",
    );
  });

  it("tsc: each error with its code, place and continuation lines", () => {
    const e = excerptLog(corpus("tsc-ruflo.log"));
    expect(e.failures.map((f) => f.location)).toEqual([
      "src/plugin.ts:342:15",
      "src/plugin.ts:342:39",
      "src/plugin.ts:401:27",
    ]);
    expect(e.failures[2]?.message).toBe(
      "TS2345: Argument of type '(address: string, message: AgentMessage) => Promise<void>'\nis not assignable to parameter of type '(msg: AgentMessage) => void'.\nTarget signature provides too few arguments. Expected 2 or more, but got 1.",
    );
  });

  it("tsc --pretty false and the pretty form read the same", () => {
    const pretty = excerptLog(
      "src/a.ts:3:7 - error TS2322: Type 'string' is not assignable to type 'number'.\n\n3 const n: number = 'x';\n        ~\n\nFound 1 error in src/a.ts:3\n",
    );
    expect(pretty.failures).toMatchObject([
      {
        tool: "tsc",
        location: "src/a.ts:3:7",
        message: "TS2322: Type 'string' is not assignable to type 'number'.",
      },
    ]);
  });

  it("eslint: each error with file:line:col and its rule", () => {
    const e = excerptLog(corpus("eslint-stylish.log"));
    expect(e.tools).toEqual(["eslint"]);
    expect(e.failures.map((f) => `${f.location ?? ""} ${f.message}`)).toEqual([
      "/home/circleci/app/src/__tests__/ConnectionFromMongoCursor.spec.js:119:9 'userB' is assigned a value but never used (no-unused-vars)",
      "/home/circleci/app/src/__tests__/ConnectionFromMongoCursor.spec.js:120:9 'userC' is assigned a value but never used (no-unused-vars)",
      "/home/circleci/app/src/__tests__/ConnectionFromMongoCursor.spec.js:121:9 'userD' is assigned a value but never used (no-unused-vars)",
    ]);
  });

  it("anything else: its error lines, without the runner's own exit line, and the tail", () => {
    const e = excerptLog(corpus("actions-cmake.log"));
    expect(e.tools).toEqual(["log"]);
    expect(e.failures.map((f) => f.message)).toEqual([
      'CMake Error: The source directory "/tmp/gpac" does not appear to contain CMakeLists.txt.',
    ]);
    expect(e.text).toContain("Last lines of the log:");
    expect(e.text).toContain("Error: Process completed with exit code 1.");
    expect(e.text).not.toMatch(/2026-09-10T/);
  });
});

describe("reading a job log", () => {
  const files = [
    "vitest-deep-equal.log",
    "jest-two-failures.log",
    "node-test-spec.log",
    "pytest-check.log",
    "go-test-skaffold.log",
    "cargo-test-materialize.log",
    "cargo-test-loop.log",
    "tsc-ruflo.log",
    "eslint-stylish.log",
    "ava-default.log",
    "mocha-spec.log",
    "tap-base.log",
  ];

  it.each(files)("%s in a GitHub Actions job log reads the same as alone", (name) => {
    const alone = excerptLog(corpus(name));
    const framed = excerptLog(asJobLog(corpus(name)));
    expect(framed.failures).toEqual(alone.failures);
    expect(framed.fingerprint).toBe(alone.fingerprint);
    expect(framed.text).not.toContain("\u001b");
    // The runner's framing: its commands, and the timestamp it starts each line with.
    expect(framed.text).not.toMatch(/##\[|^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z /m);
  });

  it("cleans timestamps, colours, progress redraws and workflow commands", () => {
    expect(
      cleanLog(
        "2026-11-23T08:00:00.1234567Z ##[group]Run npm test\n2026-11-23T08:00:00.2Z \u001b[32m✓\u001b[0m ok\n2026-11-23T08:00:01.0000000Z 10%\r50%\r100%\n2026-11-23T08:00:01.1Z ##[endgroup]\n2026-11-23T08:00:02.0000000Z ##[error]Process completed with exit code 1.",
      ),
    ).toEqual(["Run npm test", "✓ ok", "100%", "Error: Process completed with exit code 1."]);
  });

  it("the same failure on another run has the same fingerprint; another failure does not", () => {
    const log = corpus("go-test-skaffold.log");
    const again = log.replace("(0.59s)", "(1.02s)").replace("0.156s", "0.201s");
    expect(excerptLog(asJobLog(again, Date.UTC(2026, 10, 24))).fingerprint).toBe(
      excerptLog(log).fingerprint,
    );
    const other = log.replace("Actual [Dockerfile.ignored_file]", "Actual []");
    expect(excerptLog(other).fingerprint).not.toBe(excerptLog(log).fingerprint);
    const renamed = corpus("jest-two-failures.log").replace("always fails too", "always breaks");
    expect(excerptLog(renamed).fingerprint).not.toBe(
      excerptLog(corpus("jest-two-failures.log")).fingerprint,
    );
  });

  it("stays within its size on a huge log, keeping the failures and the tail", () => {
    const noise = Array.from({ length: 60_000 }, (_, i) => `  ✓ test number ${i} (1 ms)`).join(
      "\n",
    );
    const log = asJobLog(
      `${noise}\n${corpus("jest-two-failures.log")}\nTests:       2 failed, 60000 passed`,
    );
    let e: ReturnType<typeof excerptLog> | undefined;
    expect(cpuMs(() => (e = excerptLog(log, 4_000)))).toBeLessThan(2_000);
    if (!e) throw new Error("no excerpt");
    expect(e.text.length).toBeLessThanOrEqual(4_000);
    expect(e.failures).toHaveLength(2);
    expect(e.text).toContain(
      "✖ example tests › test that always fails (tests/example-test.test.js:4:23)",
    );
    expect(e.text).toContain("Tests:       2 failed, 60000 passed");
  });

  it("never passes a secret on, even one the log printed", () => {
    const token = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
    const e = excerptLog(
      asJobLog(`Error: request failed with token ${token}\n${corpus("tsc-ruflo.log")}`),
    );
    expect(e.text).not.toContain(token);
    expect(JSON.stringify(e.failures)).not.toContain(token);
  });
});

describe("what a hostile job log leaves in the fixer's excerpt", () => {
  it("no control or escape character and nothing a runner reads as a workflow command", async () => {
    const { runnerCommands } = await import("../fakes/runner-commands.ts");
    const hostile = [
      "FAIL test/a.test.js > cuts long text",
      "AssertionError: expected 'a\u0007\u0000\u0008b' to be 'ab'\u001b",
      "\u009b31mred through C1\u001b(B",
      "::add-mask::s3cret-value",
      "::stop-commands::resume-token",
      "  ::warning file=a.js,line=1::careful here",
      "::error::it broke",
      "text before ##[add-mask]inline-secret and ##[warning]inline",
      "##[set-output name=x]y",
      "::resume-token::",
    ].join("\n");
    const e = excerptLog(asJobLog(hostile));
    // eslint-disable-next-line no-control-regex
    expect(e.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(runnerCommands(e.text)).toEqual([]);
    expect(runnerCommands(cleanLog(asJobLog(hostile)))).toEqual([]);
    expect(e.text).not.toContain("s3cret-value");
    expect(e.text).not.toContain("resume-token");
    expect(e.text).toContain("Warning: careful here");
    expect(e.text).toContain("Error: it broke");
    expect(e.text).toContain("expected 'ab' to be 'ab'");
  });
});
