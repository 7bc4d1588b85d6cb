import { describe, expect, it } from "vitest";
import { CorruptStateError } from "../../src/core/errors.ts";
import type { TaskDocument } from "../../src/core/task/document.ts";
import { trustProblems } from "../../src/core/task/trust.ts";
import { Leases } from "../../src/engine/leases.ts";
import { TaskRepository } from "../../src/engine/task-repository.ts";
import { silentLogger } from "../fakes/harness.ts";
import { AT, newDoc } from "../fakes/machine.ts";
import { MemoryStore } from "../fakes/memory-store.ts";

const rules = { branchPrefix: "orchestrator/" };
const SHA = "a".repeat(40);
const with_ = (change: Partial<TaskDocument>): string[] =>
  trustProblems({ ...newDoc(), ...change }, rules);

describe("what a stored document may steer", () => {
  it("the document the App made passes", () => {
    expect(newDoc().branch).toBe("orchestrator/t1-add-a-helper");
    expect(with_({ baseCommit: SHA, headCommit: SHA, pullRequest: "12:PR_kwDO:draft" })).toEqual(
      [],
    );
  });

  it.each([
    "main",
    "orchestrator/state",
    "orchestrator/t2-another-task",
    "orchestrator/t1",
    "orchestrator/t1-x/../../main",
    "orchestrator/t1-x.lock",
    "orchestrator/t1-a b",
    "orchestrator/t1-@{-1}",
  ])("a branch the App would not make: %s", (branch) => {
    expect(with_({ branch })).toEqual([expect.stringContaining("`branch`")]);
  });

  it("a forbidden branch, even with the prefix", () => {
    const doc = { ...newDoc(), branch: "orchestrator/t1-protected" };
    expect(
      trustProblems(doc, { ...rules, forbiddenBranches: ["orchestrator/t1-protected"] }),
    ).toEqual(["`branch` names a branch tasks never write to"]);
  });

  it("commits, a pull request, paths and effects that are not what the App writes", () => {
    const step = {
      id: "S1",
      description: "d",
      files: ["../outside.js"],
      testsRequired: false,
      status: "pending" as const,
      attempt: 0,
      reviewRounds: 0,
      reviewAttempt: 0,
      baseCommit: "HEAD~3",
      commits: ["--orphan"],
      reviews: [],
    };
    const problems = with_({
      baseCommit: "--upload-pack=x",
      headCommit: "main",
      pullRequest: "--7 ready",
      steps: [step] as unknown as TaskDocument["steps"],
      outbox: [{ kind: "report_check", key: "k", commit: "HEAD", title: "t", summary: "s" }],
    });
    expect(problems).toEqual([
      "`baseCommit` is not a commit id",
      "`headCommit` is not a commit id",
      "`steps[0].baseCommit` is not a commit id",
      "`steps[0].commits[0]` is not a commit id",
      "`steps[0].files` holds a path outside the repository",
      "`pullRequest` is not a pull request reference",
      "`report_check` effect: `commit` is not a commit id",
    ]);
  });

  it("a document saved under another task's name is not loaded", async () => {
    const store = new MemoryStore();
    const leases = new Leases(
      { owner: "me", leaseMs: 60_000, ownerAlive: () => true },
      { now: () => Date.parse(AT) },
    );
    const repo = new TaskRepository({ store, leases, logger: silentLogger });
    store.docs.set("42", { document: newDoc(), version: "1" });
    await expect(repo.load("42")).rejects.toThrow(CorruptStateError);
  });
});
