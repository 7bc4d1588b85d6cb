import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.ts";
import { parseTasksFile } from "../../src/core/task/tasks-file.ts";

function problems(text: string): InvalidInputError["problems"] {
  try {
    parseTasksFile(text);
  } catch (error) {
    if (error instanceof InvalidInputError) return error.problems;
    throw error;
  }
  throw new Error("expected the file to be refused");
}

describe("parseTasksFile", () => {
  it("reads the seeds' fields with defaults", () => {
    const [task] = parseTasksFile(
      "tasks:\n  - id: A-1\n    goal: Add docstrings\n    risk: low\n    area: docs\n    context_files: [src/a.py]\n    constraints: [ZERO-WARNINGS]\n",
    );
    expect(task).toEqual({
      id: "A-1",
      goal: "Add docstrings",
      risk: "low",
      area: "docs",
      complexity: "medium",
      context_files: ["src/a.py"],
      constraints: ["ZERO-WARNINGS"],
    });
  });

  it("lists every problem with its path and line, and starts nothing", () => {
    const text = [
      "tasks:",
      "  - id: A-1",
      "    goal: one",
      "    risk: extreme",
      "    area: core",
      "  - id: A-1",
      "    goal: ''",
      "    risk: low",
      "    area: Docs",
      "    context_files: [../etc/passwd]",
      "    surprise: 1",
    ].join("\n");
    const found = problems(text);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          path: "tasks.0.risk",
          line: 4,
          message: expect.stringContaining("low"),
        }),
        expect.objectContaining({ path: "tasks.1.goal", line: 7 }),
        expect.objectContaining({ path: "tasks.1.area", line: 9 }),
        expect.objectContaining({ path: "tasks.1.context_files.0", line: 10 }),
        expect.objectContaining({ path: "tasks.1", message: expect.stringContaining("surprise") }),
      ]),
    );
  });

  it("reports duplicate ids", () => {
    const found = problems(
      "tasks:\n  - {id: A, goal: g, risk: low, area: docs}\n  - {id: A, goal: h, risk: low, area: docs}\n",
    );
    expect(found).toEqual([
      expect.objectContaining({
        path: "tasks.1.id",
        line: 3,
        message: expect.stringContaining("duplicate id 'A'"),
      }),
    ]);
  });

  it("reports malformed YAML with its line", () => {
    const found = problems("tasks:\n  - id: A\n    goal: [unclosed\n    risk: low\n");
    expect(found[0]?.line).toBeGreaterThanOrEqual(3);
  });

  it("refuses an empty file and a file without tasks", () => {
    expect(problems("")[0]?.message).toMatch(/object|expected/i);
    expect(problems("tasks: []")[0]).toMatchObject({ path: "tasks" });
  });
});
