// Issue 21 §2: nothing an outsider writes leaves a task hung without a word.
import { afterEach, describe, expect, it } from "vitest";
import { appHarness, TEXT_ISSUE, type AppHarness } from "../fakes/app-harness.ts";
import { taskOf } from "../fakes/app-scenario.ts";
import { tapLog } from "../fakes/ci-log.ts";

let h: AppHarness | undefined;
afterEach(() => {
  h?.stop();
  h = undefined;
});

const BRANCH = "orchestrator/issue-42-add-a-truncate-helper";

/** o200k_base's special tokens, as anyone can type them. */
const SPECIAL = [
  "<|endoftext|>",
  "<|endofprompt|>",
  "<|im_start|>",
  "<|im_sep|>",
  "<|im_end|>",
  "<|fim_prefix|>",
  "<|fim_middle|>",
  "<|fim_suffix|>",
  "<|startoftext|>",
  "<|start|>",
  "<|message|>",
  "<|channel|>",
  "<|constrain|>",
  "<|call|>",
  "<|return|>",
  "<|end|>",
].join(" ");

describe("special tokens in outside text are ordinary text", () => {
  it("an issue whose goal holds every special token is planned and implemented", async () => {
    h = await appHarness();
    const body = TEXT_ISSUE.body.replace("### Risk", `Keep ${SPECIAL} as they are.\n\n### Risk`);
    const issue = h.github.issues.get(TEXT_ISSUE.number);
    if (issue) issue.body = body;
    const payload = h.labeled();
    await h.deliver("issues", { ...payload, issue: { ...(payload["issue"] as object), body } });
    expect(taskOf(h.github)?.state).toBe("gating");
    const planner = JSON.stringify(h.replay.requests.find((r) => r.tag.role === "planner"));
    expect(planner).toContain("<|im_start|>");
  });

  it("a CI log holding every special token reaches the fixer", async () => {
    h = await appHarness();
    await h.deliver("issues", h.labeled());
    const head = (await h.head(BRANCH)) ?? "";
    const log = tapLog(`hello wo… ${SPECIAL}`);
    // Red, then red again when run again: a real failure, for the fixer.
    for (let run = 0; run < 2; run++) {
      h.github.completeCheck({ sha: head, conclusion: "failure", branch: BRANCH, log });
      await h.deliver("check_suite", h.checkSuite(head, BRANCH));
    }
    const fixer = JSON.stringify(h.replay.requests.find((r) => r.tag.step === "F1")?.messages);
    expect(fixer).toContain("<|endoftext|>");
    expect(await h.head(BRANCH)).not.toBe(head);
    expect(taskOf(h.github)?.state).toBe("gating");
  });
});

describe("the sweep takes each task on its own", () => {
  it.each([
    ["not JSON", "{ not json"],
    ["not a task document", JSON.stringify({ id: "41", state: "flying" })],
  ])(
    "a stored document that is %s gets one comment; the tasks after it are resumed",
    async (_, text) => {
      h = await appHarness();
      await h.deliver("issues", h.labeled());
      const head = (await h.head(BRANCH)) ?? "";
      // CI finished while no worker listened: only the sweep can tell the task.
      h.github.completeCheck({ sha: head, conclusion: "success", branch: BRANCH });
      h.github.issues.set(41, { title: "Other", body: "", labels: new Set(), events: [] });
      h.github.commitFile("orchestrator/state", "tasks/41.json", text);
      h.github.commitFile("orchestrator/state", "open/41", "");
      await h.app.sweep();
      await h.app.queue.idle();
      await h.app.sweep();
      await h.app.queue.idle();
      expect(taskOf(h.github)?.state).toBe("done");
      const comments = h.github.issueComments(41).map((c) => c.body);
      expect(comments).toHaveLength(1);
      expect(comments[0]).toMatch(/^### Needs a human: task stuck\n/);
      expect(comments[0]).toContain(
        "its stored document (`tasks/41.json` on `orchestrator/state`) cannot be read (CorruptStateError)",
      );
      expect(h.github.unknown).toEqual([]);
    },
  );
});
