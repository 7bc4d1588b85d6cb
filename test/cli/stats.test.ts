import { readFileSync } from "node:fs";
import { cp, mkdir, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localRecords, repoRecords, stats, type StatsView } from "../../src/cli/commands/stats.ts";
import { createOutput } from "../../src/cli/output.ts";
import { FakeGitHub } from "../fakes/fake-github.ts";

async function workingDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "stats-"));
  await mkdir(join(dir, ".orchestrator", "records"), { recursive: true });
  for (const [i, v] of ["v1", "v2", "v3"].entries())
    await cp(
      new URL(`../fixtures/records/historical/${v}.jsonl`, import.meta.url),
      join(dir, ".orchestrator", "records", `2026-0${i + 1}.jsonl`),
    );
  return dir;
}

async function show(
  view: StatsView,
  args: { model?: string; area?: string; risk?: string; goal?: string } = {},
  json = false,
) {
  let text = "";
  const code = stats(
    await localRecords(await workingDir()),
    view,
    { window: { now: "2026-12-01T00:00:00.000Z" }, ...args },
    createOutput(json, (t) => (text += t)),
  );
  return { code, text };
}

describe("orchestrator stats", () => {
  it("summary: outcomes, cost, and each class of tasks", async () => {
    const { code, text } = await show("summary");
    expect(code).toBe(0);
    expect(text).toMatch(/^Tasks: 1 \(success 1\); calls: \d+; cost \$0\.\d{4}/);
    expect(text).toContain("core/medium: 1 task(s), success 100 % (1)");
  });

  it("rankings, one model, reviewers, optimisations; --json gives the values", async () => {
    expect((await show("rankings", { area: "core", risk: "medium" })).text).toContain(
      "planner by success:\n  1. google/gemini-3.1-pro-preview",
    );
    expect((await show("model", { model: "google/gemini-3.1-pro-preview" })).text).toContain(
      "google/gemini-3.1-pro-preview as planner",
    );
    expect((await show("reviewers")).text).toMatch(
      /google\/gemini-3\.1-pro-preview: \d+ review\(s\), approves/,
    );
    expect((await show("optimize")).text).toContain("No cheaper model is known to do as well yet");
    const json = JSON.parse((await show("reviewers", {}, true)).text) as { model: string }[];
    expect(json[0]?.model).toBe("google/gemini-3.1-pro-preview");
  });

  it("similar: past tasks like a goal, and how they ended", async () => {
    const { text } = await show("similar", { goal: "truncate text" });
    expect(text).toMatch(/^- "Add a truncate\(text, max\) helper/);
  });

  it("an unknown model is named", async () => {
    await expect(show("model", { model: "nobody/none" })).rejects.toThrow(
      /stats model is invalid:\n.*nobody\/none: no records of this model/,
    );
  });
});

describe("orchestrator stats --repo", () => {
  it("reads a repository's records from its state branch through the API", async () => {
    const fake = new FakeGitHub().start();
    try {
      const v2 = readFileSync(
        new URL("../fixtures/records/historical/v2.jsonl", import.meta.url),
        "utf8",
      );
      fake.commitFile("orchestrator/state", "records/2026-11.jsonl", v2);
      fake.commitFile("orchestrator/state", "records/README.md", "not records");
      const records = await repoRecords("octo-org/textkit", { GITHUB_TOKEN: "ghs_test" });
      expect(records.tasks.map((t) => t.task)).toEqual(["TEXT-001"]);
      expect(records.calls).toHaveLength(17);
      expect(fake.requests.map((r) => r.operation ?? r.path)).toEqual(["repository"]);
    } finally {
      fake.stop();
    }
  });

  it("names what is missing: a token, or a repository in owner/name form", async () => {
    await expect(repoRecords("octo-org/textkit", {})).rejects.toMatchObject({
      problems: [{ path: "GITHUB_TOKEN" }],
    });
    await expect(repoRecords("textkit", { GITHUB_TOKEN: "x" })).rejects.toThrow(/--repo/);
  });
});
