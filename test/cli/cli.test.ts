import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSampleRepo, DEMO_DIR } from "../../src/cli/sample-repo.ts";
import { runCli } from "../fakes/cli-env.ts";

const CASSETTE = join(DEMO_DIR, "cassette.yaml");

const cli = runCli;

describe("orchestrator CLI", () => {
  it("run → done (exit 0), then summary, list-tasks, task, review and active report it", async () => {
    const repo = await createSampleRepo("cli-");
    await writeFile(join(repo, "tasks.yaml"), await readFile(join(DEMO_DIR, "tasks.yaml"), "utf8"));
    const run = await cli([
      "run",
      "--working-dir",
      repo,
      "--provider",
      "replay",
      "--cassette",
      CASSETTE,
      "--json",
    ]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      tasks: { id: string; state: string; costUsd: number }[];
      runLog: string;
    };
    expect(report.tasks).toEqual([expect.objectContaining({ id: "TEXT-001", state: "done" })]);
    expect(await readFile(report.runLog, "utf8")).toMatch(/## Run summary[\s\S]*done 1/);

    const summary = JSON.parse(
      (await cli(["summary", "--working-dir", repo, "--json"])).stdout,
    ) as { tasks: number; byState: Record<string, number> };
    expect(summary).toMatchObject({ tasks: 1, byState: { done: 1 } });
    // From a subfolder of the repository, as git finds its root.
    const fromSrc = JSON.parse(
      (await cli(["summary", "--working-dir", join(repo, "src"), "--json"])).stdout,
    ) as { tasks: number };
    expect(fromSrc.tasks).toBe(1);
    expect((await cli(["list-tasks", "--working-dir", repo, "--state", "done"])).stdout).toContain(
      "TEXT-001",
    );
    expect((await cli(["list-tasks", "--working-dir", repo, "--state", "bogus"])).code).toBe(2);
    expect((await cli(["task", "TEXT-001", "--working-dir", repo])).stdout).toMatch(
      /TEXT-001: done[\s\S]*S1 completed/,
    );
    expect((await cli(["review", "--working-dir", repo])).stdout).toContain(
      "nothing waits for a human",
    );
    expect((await cli(["active", "--working-dir", repo])).stdout).toContain("no active tasks");
    const refused = await cli(["task", "TEXT-001", "--approve", "--working-dir", repo]);
    expect(refused.code).toBe(2);
    expect(refused.stdout).toContain("already done");
  });

  it("a task waiting for a human exits 3 and is answered with `task --reject`", async () => {
    const repo = await createSampleRepo("cli-");
    await writeFile(join(repo, "tasks.yaml"), await readFile(join(DEMO_DIR, "tasks.yaml"), "utf8"));
    const cassette = join(repo, "..", `${repo.split("/").pop() ?? "x"}-cassette.yaml`);
    await writeFile(
      cassette,
      (await readFile(CASSETTE, "utf8")).replace(
        "status: approved\n      scores: { completeness: 8",
        "status: rejected\n      scores: { completeness: 8",
      ),
    );
    const run = await cli([
      "run",
      "--working-dir",
      repo,
      "--provider",
      "replay",
      "--cassette",
      cassette,
    ]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/TEXT-001: awaiting_human[\s\S]*needs a human: plan_rejected/);
    expect((await cli(["review", "--working-dir", repo, "--json"])).stdout).toContain(
      "plan_rejected",
    );
    const reject = await cli(["task", "TEXT-001", "--reject", "--working-dir", repo]);
    expect(reject).toMatchObject({ code: 0, stdout: expect.stringContaining("now failed") });
  });

  it("a bad tasks file gets one error listing every problem, and nothing starts (exit 2)", async () => {
    const repo = await createSampleRepo("cli-");
    await writeFile(
      join(repo, "tasks.yaml"),
      "tasks:\n  - id: A\n    goal: g\n    risk: extreme\n    area: core\n    context_files: [missing.js]\n  - id: B\n    risk: low\n    area: docs\n",
    );
    const run = await cli([
      "run",
      "--working-dir",
      repo,
      "--provider",
      "replay",
      "--cassette",
      CASSETTE,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/tasks\.0\.risk \(line 4\)/);
    expect(run.stderr).toMatch(/tasks\.1\.goal/);
    const state = await cli(["list-tasks", "--working-dir", repo, "--json"]);
    expect(JSON.parse(state.stdout)).toEqual([]);
  });

  it("a context file that does not exist is named", async () => {
    const repo = await createSampleRepo("cli-");
    await writeFile(
      join(repo, "tasks.yaml"),
      "tasks:\n  - {id: A, goal: g, risk: low, area: docs, context_files: [docs/nope.md]}\n",
    );
    const run = await cli([
      "run",
      "--working-dir",
      repo,
      "--provider",
      "replay",
      "--cassette",
      CASSETTE,
      "--json",
    ]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toMatchObject({
      error: {
        problems: [
          {
            path: "tasks.0.context_files.0",
            message: expect.stringContaining("docs/nope.md does not exist"),
          },
        ],
      },
    });
  });

  it("without a provider it says how to get one", async () => {
    const repo = await createSampleRepo("cli-");
    const run = await cli(["run", "--working-dir", repo, "--tasks", join(DEMO_DIR, "tasks.yaml")]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ANTHROPIC_API_KEY.*--provider replay --cassette FILE/);
  });

  it("a corrupted state file is refused, named, and kept", async () => {
    const repo = await createSampleRepo("cli-");
    await cli([
      "run",
      "--working-dir",
      repo,
      "--tasks",
      join(DEMO_DIR, "tasks.yaml"),
      "--provider",
      "replay",
      "--cassette",
      CASSETTE,
    ]);
    const file = join(repo, ".orchestrator", "state", "TEXT-001.json");
    const broken = (await readFile(file, "utf8")).replace('"state":"done"', '"state":"queued"');
    await writeFile(file, broken);
    const out = await cli(["task", "TEXT-001", "--working-dir", repo]);
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`state file ${file} is corrupt (checksum mismatch)`);
    expect(await readFile(file, "utf8")).toBe(broken);
  });

  it("a bad config gets one error listing the problems", async () => {
    const repo = await createSampleRepo("cli-");
    await writeFile(
      join(repo, ".orchestrator", "config.yaml"),
      "limits:\n  gate_attempts: -1\ngate:\n  commands:\n    - name: t\n      run: x\n      warning_pattern: '('\nrouting:\n  rules:\n    - reason: one provider\n      planner: [anthropic/claude-sonnet-4-5]\n      implementer: [anthropic/claude-sonnet-4-5]\n  reviewers: [anthropic/claude-haiku-4-5]\n",
    );
    const run = await cli([
      "run",
      "--working-dir",
      repo,
      "--tasks",
      join(DEMO_DIR, "tasks.yaml"),
      "--provider",
      "replay",
      "--cassette",
      CASSETTE,
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/limits\.gate_attempts/);
    expect(run.stderr).toMatch(/warning_pattern: not a valid regular expression/);
  });

  it("clean-state needs --force", async () => {
    const repo = await createSampleRepo("cli-");
    expect((await cli(["clean-state", "--working-dir", repo])).code).toBe(2);
    expect((await cli(["clean-state", "--working-dir", repo, "--force"])).code).toBe(0);
  });
});
