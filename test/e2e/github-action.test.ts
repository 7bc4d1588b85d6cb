import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { ActionResult } from "../../src/action/main.ts";
import { PACKAGE_ROOT } from "../../src/config/package-root.ts";
import { DEMO_DIR } from "../../src/cli/sample-repo.ts";
import { appHarness, example, type AppHarness } from "../fakes/app-harness.ts";
import { INSTALLATION_TOKEN } from "../fakes/fake-github.ts";
import { runnerCommands } from "../fakes/runner-commands.ts";
import { parse, stringify } from "yaml";
import type { Cassette } from "../../src/providers/replay/cassette.ts";

type Action = typeof import("../../src/action/main.ts");
let runAction: Action["runAction"];
let installed: string;

// The checked-in bundle, as a runner has it: the repository without node_modules, the entry
// loaded natively (require of an ES module). test/action/bundle.test.ts fails when it is older
// than the source.
beforeAll(async () => {
  installed = await mkdtemp(join(tmpdir(), "action-checkout-"));
  for (const path of ["package.json", "models.yaml", "prompts", "dist/index.js"])
    await cp(join(PACKAGE_ROOT, path), join(installed, path), { recursive: true });
  ({ runAction } = createRequire(import.meta.url)(join(installed, "dist/index.js")) as Action);
});
afterAll(() => rm(installed, { recursive: true, force: true }));

const BRANCH = "orchestrator/issue-42-add-a-truncate-helper";

let h: AppHarness | undefined;
const temps: string[] = [];
afterEach(async () => {
  h?.stop();
  h = undefined;
  await Promise.all(temps.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/**
 * The step outputs a runner reads from `GITHUB_OUTPUT`: `name=value` lines and `name<<delimiter`
 * blocks (docs.github.com, Actions › Workflow commands › Setting an output parameter). A line
 * that is neither fails the step, as on a runner.
 */
function readOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "") continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = "", delimiter] = heredoc;
      const end = lines.indexOf(delimiter ?? "", i + 1);
      if (end < 0) throw new Error(`Matching delimiter not found '${delimiter ?? ""}'`);
      out[name] = lines.slice(i + 1, end).join("\n");
      i = end;
      continue;
    }
    const eq = line.indexOf("=");
    if (eq < 1) throw new Error(`Invalid format '${line}'`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

/** A runner: each run gets the event file and the variables a runner sets for it. */
async function runner(world: AppHarness) {
  const dir = await mkdtemp(join(tmpdir(), "action-runner-"));
  temps.push(dir, world.workDir);
  // Clones come from `<base>/<owner>/<repo>.git`: the world's bare repository.
  await mkdir(join(dir, "git", world.github.owner), { recursive: true });
  await symlink(world.bare, join(dir, "git", world.github.owner, `${world.github.repo}.git`));
  const lines: string[] = [];
  let runs = 0;
  const files = (n: number) => ({
    output: join(dir, `output-${String(n)}`),
    summary: join(dir, `summary-${String(n)}.md`),
  });
  return {
    lines,
    /** The last run's step outputs and job summary, as the runner reads them. */
    async reported(): Promise<{ outputs: Record<string, string>; summary: string }> {
      const last = files(runs);
      return {
        outputs: readOutputs(await readFile(last.output, "utf8")),
        summary: await readFile(last.summary, "utf8"),
      };
    },
    async run(
      eventName: string,
      payload: Record<string, unknown>,
      more: Record<string, string> = {},
      fetch?: typeof globalThis.fetch,
    ): Promise<ActionResult> {
      runs += 1;
      // Event payloads in a workflow run carry no installation.
      const { installation: _, ...event } = payload;
      const path = join(dir, `event-${String(runs)}.json`);
      await writeFile(path, JSON.stringify(event));
      const { output, summary } = files(runs);
      // The runner creates both files empty before the step.
      await writeFile(output, "");
      await writeFile(summary, "");
      return runAction(
        {
          GITHUB_ACTIONS: "true",
          GITHUB_EVENT_NAME: eventName,
          GITHUB_EVENT_PATH: path,
          GITHUB_REPOSITORY: `${world.github.owner}/${world.github.repo}`,
          GITHUB_API_URL: "https://api.github.com",
          GITHUB_SERVER_URL: "https://github.com",
          GITHUB_RUN_ID: String(9000 + runs),
          GITHUB_RUN_ATTEMPT: "1",
          GITHUB_OUTPUT: output,
          GITHUB_STEP_SUMMARY: summary,
          // Each run is a fresh runner.
          RUNNER_TEMP: join(dir, `temp-${String(runs)}`),
          "INPUT_GITHUB-TOKEN": INSTALLATION_TOKEN,
          "INPUT_APP-ID": "1",
          LOG_LEVEL: "silent",
          ORCHESTRATOR_PROVIDER: "replay",
          ORCHESTRATOR_CASSETTE: join(DEMO_DIR, "cassette.yaml"),
          ORCHESTRATOR_CLONE_BASE: join(dir, "git"),
          ...more,
        },
        {
          write: (line) => lines.push(line),
          // The fake answers at once: no pacing of writes, no retries.
          octokit: {
            throttle: { enabled: false },
            retry: { enabled: false },
            ...(fetch ? { request: { fetch } } : {}),
          },
        },
      );
    },
  };
}

describe("the GitHub Action, from its bundled file", () => {
  it("label → plan → steps → pull request; CI's workflow_run finishes it green", async () => {
    h = await appHarness();
    const actions = await runner(h);
    expect(await actions.run("issues", h.labeled())).toMatchObject({
      event: "issues.labeled",
      outcome: "handled",
      task: { issue: 42, state: "gating" },
    });
    // The step's outputs and summary say where the task stands.
    const first = await actions.reported();
    expect(first.outputs).toMatchObject({ outcome: "handled", "task-id": "42", state: "gating" });
    expect(Number(first.outputs["cost-usd"])).toBeGreaterThan(0);
    // The token is masked before anything else is printed.
    expect(actions.lines[0]).toBe(`::add-mask::${INSTALLATION_TOKEN}`);
    const head = await h.head(BRANCH);
    expect(head).not.toBeNull();
    // The run ended while CI runs: nothing holds a runner.
    const waiting = JSON.parse(h.github.stateFile("tasks/42.json") ?? "{}") as { state: string };
    expect(waiting.state).toBe("gating");
    h.github.completeCheck({ sha: head ?? "", conclusion: "success", branch: BRANCH });
    await actions.run("workflow_run", h.workflowRun(head ?? "", BRANCH));
    const last = await actions.reported();
    expect(last.outputs).toEqual({
      outcome: "handled",
      "task-id": "42",
      state: "done",
      "pull-request-url": `https://github.com/octo-org/textkit/pull/${String(h.github.pulls[0]?.number)}`,
      "cost-usd": expect.stringMatching(/^\d+\.\d{4}$/),
    });
    expect(last.summary).toContain(
      "| [#42](https://github.com/octo-org/textkit/issues/42) | `done` |",
    );

    expect(h.github.unknown).toEqual([]);
    const done = JSON.parse(h.github.stateFile("tasks/42.json") ?? "{}") as { state: string };
    expect(done.state).toBe("done");
    expect(h.github.pulls).toHaveLength(1);
    expect(h.github.pulls[0]).toMatchObject({ head: BRANCH, base: "main", draft: false });
    const comments = h.github.issueComments(42).map((c) => c.body);
    // One comment of ours: the status, with the plan folded into it.
    expect(comments).toHaveLength(1);
    expect(comments.filter((b) => b.includes("orchestrator:status:42"))).toHaveLength(1);
    expect(comments[0]).toContain("<summary>Plan v1: ");
    expect(h.github.issues.get(42)?.labels).toEqual(new Set(["orchestrate", "orchestrator:done"]));
    // Every request carried the token the workflow minted.
    expect(JSON.stringify(h.github.issueComments(42))).not.toContain(INSTALLATION_TOKEN);
  });

  it("a missed workflow_run is picked up by the scheduled sweep; a redelivered label does nothing", async () => {
    h = await appHarness();
    const actions = await runner(h);
    const label = h.labeled();
    await actions.run("issues", label);
    const head = await h.head(BRANCH);
    const writes = h.github.requests.filter((r) => r.write).length;
    await actions.run("issues", label);
    // A second run for the same label (a re-run of the workflow) finds the task and adds nothing.
    expect(h.github.requests.filter((r) => r.write).length).toBe(writes);
    h.github.completeCheck({ sha: head ?? "", conclusion: "success", branch: BRANCH });
    expect(await actions.run("schedule", { schedule: "*/15 * * * *" })).toEqual({
      event: "schedule",
      outcome: "swept",
      resumed: 1,
    });
    const done = JSON.parse(h.github.stateFile("tasks/42.json") ?? "{}") as { state: string };
    expect(done.state).toBe("done");
    expect(h.github.pulls).toHaveLength(1);
  });

  it("a run cut off mid-task (the job's time limit) leaves the task to the next run once its lease has run out", async () => {
    h = await appHarness();
    const actions = await runner(h);
    // The runner is stopped after 15 writes: its requests never answer again.
    let writes = 0;
    let stopped!: () => void;
    const cutOff = new Promise<void>((resolve) => (stopped = resolve));
    const fetch: typeof globalThis.fetch = (input, init) => {
      if ((init?.method ?? "GET") !== "GET" && ++writes > 15) {
        stopped();
        return new Promise<Response>(() => undefined);
      }
      return globalThis.fetch(input, init);
    };
    await Promise.race([actions.run("issues", h.labeled(), {}, fetch), cutOff]);
    const mid = JSON.parse(h.github.stateFile("tasks/42.json") ?? "{}") as {
      state: string;
      lease: { owner: string } | null;
    };
    expect(mid.lease?.owner).toBe("actions:9001.1");
    expect(mid.state).not.toBe("gating");
    // Within the lease the scheduled sweep leaves the task alone; after it, the sweep resumes it.
    expect(await actions.run("schedule", { schedule: "*/15 * * * *" })).toMatchObject({
      resumed: 0,
    });
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 16 * 60_000);
      await actions.run("schedule", { schedule: "*/15 * * * *" });
    } finally {
      vi.useRealTimers();
    }
    const head = await h.head(BRANCH);
    h.github.completeCheck({ sha: head ?? "", conclusion: "success", branch: BRANCH });
    await actions.run("workflow_run", h.workflowRun(head ?? "", BRANCH));
    const done = JSON.parse(h.github.stateFile("tasks/42.json") ?? "{}") as { state: string };
    expect(done.state).toBe("done");
    expect(h.github.pulls).toHaveLength(1);
    const shown = h.github.issueComments(42).map((c) => c.body);
    expect(shown).toHaveLength(1);
    expect(shown[0]?.split("<summary>Plan v1: ")).toHaveLength(2);
  });

  it("an event it does not act on ends the run quietly; a bad environment names each variable", async () => {
    h = await appHarness();
    const actions = await runner(h);
    const key = "sk-ant-api03-" + "k".repeat(40);
    expect(
      await actions.run("issues", example("issues", "opened", h.github, {}), {
        ORCHESTRATOR_PROVIDER: "env",
        ANTHROPIC_API_KEY: key,
      }),
    ).toMatchObject({ event: "issues.opened", outcome: "ignored" });
    // Every secret is masked in the run's log before anything else is printed.
    expect(actions.lines.slice(0, 2).sort()).toEqual(
      [`::add-mask::${INSTALLATION_TOKEN}`, `::add-mask::${key}`].sort(),
    );
    await expect(
      runAction({ GITHUB_EVENT_NAME: "issues" }, { write: () => undefined }),
    ).rejects.toThrow(
      /GITHUB_EVENT_PATH[\s\S]*GITHUB_REPOSITORY[\s\S]*INPUT_GITHUB-TOKEN[\s\S]*INPUT_APP-ID: is required/,
    );
  });

  it("a tool name the model picks that reads as a workflow command is printed as text: the runner reads only our masks", async () => {
    h = await appHarness();
    const actions = await runner(h);
    // The demo's answers, with the implementer's first turn calling tools named as commands.
    const cassette = parse(await readFile(join(DEMO_DIR, "cassette.yaml"), "utf8")) as Cassette;
    const first = cassette.calls.find((c) => c.role === "implementer" && c.step === "S1");
    if (!first) throw new Error("no implementer answer in the demo cassette");
    const hostile = [
      "##[add-mask]orchestrator",
      "##[stop-commands]hostile",
      "##[warning title=from the model]a fake annotation",
      "x\n::error::on a line of its own",
    ];
    first.tool_calls = [...hostile.map((name) => ({ name, input: {} })), ...first.tool_calls];
    const file = join(h.workDir, "hostile-cassette.yaml");
    await mkdir(h.workDir, { recursive: true });
    await writeFile(file, stringify(cassette));
    await actions.run("issues", h.labeled(), { LOG_LEVEL: "warn", ORCHESTRATOR_CASSETTE: file });

    // The refusals were logged, through the Action's printer, with the names readable.
    const refused = actions.lines.filter((l) => l.includes("tool call refused"));
    expect(refused).toHaveLength(hostile.length);
    expect(refused.join("\n")).toContain("## [add-mask]orchestrator");
    // What a runner reads from the whole log: the token's mask, nothing else.
    expect(runnerCommands(actions.lines)).toEqual([
      { command: "add-mask", properties: {}, data: INSTALLATION_TOKEN },
    ]);
  });
});
