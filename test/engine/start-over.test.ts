import { rm } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Git } from "../../src/adapters/git/git.ts";
import { ReplayModels } from "../../src/providers/replay/replay-model.ts";
import { demoCassette, demoTask, fastGate, harness } from "../fakes/harness.ts";

describe("a task started again under its id", () => {
  it("does not take the earlier start's journaled answers or commits as its own", async () => {
    const h = await harness();
    const config = await fastGate(h.repo);
    const task = await demoTask();
    const first = await h.host({ config, random: () => 0.5 });
    await first.engine.start(task);
    const done = await first.engine.run(task.id);
    expect(done.state).toBe("done");

    // The task document is lost (deleted by hand); the journal of its calls is still there.
    await rm(join(first.directory, "state", `${task.id}.json`));
    const base = await demoCassette();
    const again = new ReplayModels({
      ...base,
      calls: base.calls.map((c) =>
        c.role === "implementer" && c.step === "S1" && c.attempt === 1 && c.turn === 0
          ? {
              ...c,
              tool_calls: c.tool_calls.map((t) =>
                t.name === "write_file"
                  ? {
                      ...t,
                      input: {
                        ...t.input,
                        content: "export const truncate = (t) => t; // again\n",
                      },
                    }
                  : t,
              ),
            }
          : c,
      ),
    });
    const second = await h.host({
      config,
      random: () => 0.25,
      clients: again.providers.map((p) => again.client(p)),
    });
    await second.engine.start(task);
    const redone = await second.engine.run(task.id);

    expect(redone.branch).toBe(`${done.branch}-2`);
    expect(again.requests.some((r) => r.tag.role === "implementer" && r.tag.step === "S1")).toBe(
      true,
    );
    const git = new Git({ cwd: h.repo });
    const s1 = redone.steps[0]?.commits[0] ?? "";
    expect(await git.output(["show", `${s1}:src/truncate.js`])).toContain("// again");
    const keys = new Set(done.ledger.map((c) => c.key));
    expect(redone.ledger.filter((c) => keys.has(c.key))).toEqual([]);
  });
});
