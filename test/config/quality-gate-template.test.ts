// The workflow users copy as their quality gate, checked by GitHub's own workflow parser and,
// for what it cannot check, by the rules in test/action/workflow-rules.ts.
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runsForPush, usesProblems, workflowErrors } from "../action/workflow-rules.ts";

const FILE = new URL("../../templates/quality-gate.yml", import.meta.url);

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, { branches?: string[] } | null>;
  permissions: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

/** Git commands that reach the remote: with no persisted credentials a private repository refuses them. */
const REMOTE_GIT = /\bgit\s+(?:fetch|pull|push|ls-remote|clone|submodule\s+update)\b/;

/**
 * Steps after a checkout that kept no credentials and that talk to the remote with git. The
 * checkout action fetches with its token and, with `persist-credentials: false`, removes it
 * (actions/checkout README, "persist-credentials"): git in a later step has nothing to send.
 */
function credentialLessGit(steps: readonly Step[]): string[] {
  let credentials = false;
  const problems: string[] = [];
  for (const step of steps) {
    if (step.uses?.startsWith("actions/checkout@"))
      credentials = step.with?.["persist-credentials"] !== false;
    else if (!credentials && step.run && REMOTE_GIT.test(step.run))
      problems.push(step.run.split("\n").find((l) => REMOTE_GIT.test(l)) ?? step.run);
  }
  return problems;
}

describe("templates/quality-gate.yml", () => {
  it("is a valid GitHub Actions workflow", async () => {
    const content = await readFile(FILE, "utf8");
    expect(workflowErrors("quality-gate.yml", content)).toEqual([]);
  });

  it("runs on task branches, read-only, with no secret, typecheck, zero-warning lint, tests and coverage", async () => {
    const content = await readFile(FILE, "utf8");
    const workflow = parse(content) as Workflow;
    expect(workflow.on["push"]?.branches).toEqual(["orchestrator/**"]);
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(content).not.toMatch(/secrets\./);
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const runs = steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toContain("typecheck");
    expect(runs).toContain("--max-warnings=0");
    expect(runs).toContain("--coverage");
    expect(runs).toMatch(/coverage-summary\.json/);
    const checkouts = steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const checkout of checkouts) expect(checkout.with?.["persist-credentials"]).toBe(false);
  });

  it("runs CI once per push to a task branch, also while its pull request is open", async () => {
    const workflow = parse(await readFile(FILE, "utf8")) as Workflow;
    expect(runsForPush(workflow.on, "orchestrator/issue-42-add-a-truncate-helper", "main")).toBe(1);
    // The rule can fail: push and pull_request together run twice.
    expect(
      runsForPush(
        { push: { branches: ["orchestrator/**"] }, pull_request: null },
        "orchestrator/x",
        "main",
      ),
    ).toBe(2);
  });

  it("reaches the base branch without git credentials (a private repository refuses a bare git fetch)", async () => {
    const workflow = parse(await readFile(FILE, "utf8")) as Workflow;
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    expect(credentialLessGit(steps)).toEqual([]);
    // The base branch comes from a second checkout, which fetches with the job's token.
    expect(steps.filter((s) => s.uses?.startsWith("actions/checkout@")).at(-1)?.with).toMatchObject(
      {
        ref: "${{ github.event.repository.default_branch }}",
        "persist-credentials": false,
      },
    );
    // The rule can fail: the step the template had.
    expect(
      credentialLessGit([
        { uses: "actions/checkout@x", with: { "persist-credentials": false } },
        {
          run: 'git fetch --no-tags --depth=1 origin "$BASE_REF"\ngit worktree add ../base FETCH_HEAD',
        },
      ]),
    ).toEqual(['git fetch --no-tags --depth=1 origin "$BASE_REF"']);
  });

  it("pins every action to the commit of its current release, with inputs the action declares", async () => {
    const content = await readFile(FILE, "utf8");
    expect(usesProblems(content, { name: "", actionYml: "" })).toEqual([]);
    expect(
      usesProblems(content.replace(/checkout@[0-9a-f]{40}/, "checkout@v5"), {
        name: "",
        actionYml: "",
      }),
    ).toEqual(["actions/checkout@v5 is not pinned to a commit"]);
  });

  it("the parser refuses a broken workflow (the check can fail)", () => {
    expect(
      workflowErrors(
        "bad.yml",
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n",
      ).length,
    ).toBeGreaterThan(0);
  });
});
