// action.yml and the workflow users copy to run it, checked by GitHub's own workflow parser.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ActionEnv } from "../../src/config/action-env.ts";
import { PACKAGE_ROOT } from "../../src/config/package-root.ts";
import { EVENT_NAMES } from "../../src/app/events.ts";

const read = (path: string) => readFile(join(PACKAGE_ROOT, path), "utf8");

describe("action.yml", () => {
  it("runs the checked-in bundle on node24, with inputs the action reads", async () => {
    const action = parse(await read("action.yml")) as {
      inputs: Record<string, { required?: boolean }>;
      runs: { using: string; main: string };
    };
    expect(action.runs).toEqual({ using: "node24", main: "dist/index.js" });
    expect(existsSync(join(PACKAGE_ROOT, action.runs.main))).toBe(true);
    // The runner passes input `x-y` as INPUT_X-Y.
    const inputs = Object.keys(ActionEnv.shape).filter((k) => k.startsWith("INPUT_"));
    expect(Object.keys(action.inputs).map((n) => `INPUT_${n.toUpperCase()}`)).toEqual(inputs);
    expect(action.inputs["github-token"]?.required).toBe(true);
    expect(action.inputs["app-id"]?.required).toBe(true);
  });
});

describe("templates/orchestrate-workflow.yml", () => {
  it("is a valid GitHub Actions workflow", async () => {
    const content = await read("templates/orchestrate-workflow.yml");
    const result = parseWorkflow(
      { name: "orchestrator.yml", content },
      new NoOperationTraceWriter(),
    );
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
  });

  it("subscribes to every event the handlers act on plus the sweep, with no workflow token and an App token", async () => {
    const content = await read("templates/orchestrate-workflow.yml");
    const workflow = parse(content) as {
      on: Record<string, { types?: string[] } | null | unknown[]>;
      permissions: unknown;
      concurrency: { group: string; "cancel-in-progress": boolean };
      jobs: Record<string, { steps: { uses?: string; with?: Record<string, string> }[] }>;
    };
    for (const name of EVENT_NAMES.filter((n) => !n.startsWith("check_suite"))) {
      const [event = "", action = ""] = name.split(".");
      expect(workflow.on[event], name).toMatchObject({ types: expect.arrayContaining([action]) });
    }
    expect(workflow.on).toHaveProperty("schedule");
    expect(workflow.permissions).toEqual({});
    expect(workflow.concurrency["cancel-in-progress"]).toBe(false);
    const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);
    expect(steps[0]?.uses).toMatch(/^actions\/create-github-app-token@/);
    const ours = steps.find((s) => s.with?.["github-token"]);
    expect(ours?.with?.["github-token"]).toBe("${{ steps.token.outputs.token }}");
    expect(content).not.toContain("secrets.GITHUB_TOKEN");
  });
});
