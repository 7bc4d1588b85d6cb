// The workflow users copy as their quality gate, checked by GitHub's own workflow parser.
import { readFile } from "node:fs/promises";
import { NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const FILE = new URL("../../templates/quality-gate.yml", import.meta.url);

describe("templates/quality-gate.yml", () => {
  it("is a valid GitHub Actions workflow", async () => {
    const content = await readFile(FILE, "utf8");
    const result = parseWorkflow(
      { name: "quality-gate.yml", content },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    expect(result.value).toBeDefined();
  });

  it("runs on task branches and pull requests, read-only, with no secret, typecheck, zero-warning lint, tests and coverage", async () => {
    const content = await readFile(FILE, "utf8");
    const workflow = parse(content) as {
      on: { push: { branches: string[] }; pull_request: unknown };
      permissions: Record<string, string>;
      jobs: Record<
        string,
        { steps: { run?: string; uses?: string; with?: Record<string, unknown> }[] }
      >;
    };
    expect(workflow.on.push.branches).toEqual(["orchestrator/**"]);
    expect(workflow.on).toHaveProperty("pull_request");
    expect(workflow.permissions).toEqual({ contents: "read" });
    expect(content).not.toMatch(/secrets\./);
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    const runs = steps.map((s) => s.run ?? "").join("\n");
    expect(runs).toContain("typecheck");
    expect(runs).toContain("--max-warnings=0");
    expect(runs).toContain("--coverage");
    expect(runs).toMatch(/coverage-summary\.json/);
    const checkout = steps.find((s) => s.uses?.startsWith("actions/checkout@"));
    expect(checkout?.with?.["persist-credentials"]).toBe(false);
  });

  it("the parser refuses a broken workflow (the check can fail)", () => {
    const result = parseWorkflow(
      {
        name: "bad.yml",
        content: "on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n",
      },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });
});
