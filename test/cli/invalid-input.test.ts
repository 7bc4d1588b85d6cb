// Every input the README calls invalid (its "Exit codes": tasks file, config, arguments, a refused
// command) exits 2 through the real CLI, with a message naming what to change: never exit 0 on a
// folder that is not a repository, and never git's or Node's raw text (`ENOENT`, `fatal:`).
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEMO_DIR } from "../../src/cli/sample-repo.ts";
import { runCli } from "../fakes/cli-env.ts";

const CASSETTE = join(DEMO_DIR, "cassette.yaml");
const TASKS = join(DEMO_DIR, "tasks.yaml");

describe("invalid input through the real CLI", () => {
  it("each case exits 2 and names the option, with no raw git or Node error text", async () => {
    const root = await mkdtemp(join(tmpdir(), "invalid-"));
    const repo = join(root, "repo");
    const plain = join(root, "plain");
    await mkdir(repo);
    await mkdir(plain);
    execFileSync("git", ["init", "-q", repo]);
    const cases: { args: string[]; says: RegExp }[] = [
      { args: ["summary", "--working-dir", plain], says: /--working-dir.*not in a git repository/ },
      { args: ["run", "--working-dir", plain], says: /--working-dir.*not in a git repository/ },
      {
        args: ["summary", "--working-dir", join(root, "gone")],
        says: /--working-dir.*not a folder/,
      },
      {
        args: [
          "run",
          "--working-dir",
          repo,
          "--tasks",
          TASKS,
          "--provider",
          "replay",
          "--cassette",
          join(root, "x.yaml"),
        ],
        says: /--cassette.*no such file/,
      },
      {
        args: [
          "run",
          "--working-dir",
          repo,
          "--tasks",
          join(root, "x.yaml"),
          "--provider",
          "replay",
          "--cassette",
          CASSETTE,
        ],
        says: /--tasks.*no such file/,
      },
      {
        args: [
          "run",
          "--working-dir",
          repo,
          "--tasks",
          root,
          "--provider",
          "replay",
          "--cassette",
          CASSETTE,
        ],
        says: /--tasks.*it is a folder/,
      },
      { args: ["run", "--working-dir", repo, "--provider", "bogus"], says: /--provider/ },
      { args: ["run", "--working-dir", repo, "--concurrency", "0"], says: /--concurrency/ },
      { args: ["stats", "model", "--working-dir", repo], says: /stats model.*name the model/s },
      { args: ["stats", "model", "x/y", "--working-dir", repo], says: /no records of this model/ },
      { args: ["stats", "similar", "--working-dir", repo], says: /give a goal/ },
      { args: ["stats", "bogus", "--working-dir", repo], says: /unknown view bogus/ },
      { args: ["stats", "--days", "-3", "--working-dir", repo], says: /--days/ },
      { args: ["stats", "rankings", "--metric", "bogus", "--working-dir", repo], says: /--metric/ },
      { args: ["task", "NOPE-1", "--working-dir", repo, "--budget", "abc"], says: /--budget/ },
      { args: ["list-tasks", "--working-dir", repo, "--state", "bogus"], says: /--state/ },
    ];
    const results = await Promise.all(cases.map((c) => runCli(c.args)));
    for (const [i, { args, says }] of cases.entries()) {
      const { code, stdout, stderr } = results[i]!;
      const shown = `${stdout}${stderr}`;
      expect({ args, code }).toEqual({ args, code: 2 });
      expect(shown, args.join(" ")).toMatch(says);
      expect(shown, args.join(" ")).not.toMatch(/ENOENT|EISDIR|fatal:|\n\s+at /);
    }
  }, 120_000);
});
