import { describe, expect, it } from "vitest";
import {
  issueOfBranch,
  issueOfTask,
  taskBranch,
  taskIdOfIssue,
} from "../../src/core/task/task-ref.ts";

describe("task id ↔ issue ↔ branch", () => {
  it("round-trips an issue through its task and branch", () => {
    const task = taskIdOfIssue(42);
    const branch = taskBranch("orchestrator/issue-", task, "Add a truncate helper!");
    expect(branch).toBe("orchestrator/issue-42-add-a-truncate-helper");
    expect(issueOfTask(task)).toBe(42);
    expect(issueOfBranch(branch, "orchestrator/issue-")).toBe(42);
  });

  it.each([
    ["main", "orchestrator/issue-"],
    ["orchestrator/issue-x-1", "orchestrator/issue-"],
    ["orchestrator/issue-042-x", "orchestrator/issue-"],
    ["other/issue-42-x", "orchestrator/issue-"],
  ])("%s is no task's branch under %s", (branch, prefix) => {
    expect(issueOfBranch(branch, prefix)).toBeNull();
  });

  it("a task id that is not an issue number names no issue", () => {
    expect(issueOfTask("TEXT-001")).toBeNull();
    expect(issueOfTask("0")).toBeNull();
  });
});
