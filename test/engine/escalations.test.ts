import { Git } from "../../src/adapters/git/git.ts";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Cassette } from "../../src/providers/replay/cassette.ts";
import { cassetteWith, demoCassette, demoTask, harness } from "../fakes/harness.ts";

async function runDemo(cassette: Cassette) {
  const h = await harness(cassette);
  const host = await h.host();
  const task = await demoTask();
  await host.engine.start(task);
  return { h, host, task, doc: await host.engine.run(task.id) };
}

describe("escalations through the engine", () => {
  it("a schema-invalid answer gets one repair turn quoting the error, then the task goes on", async () => {
    const base = await demoCassette();
    const plan = base.calls.find((c) => c.role === "planner")!;
    const { doc, h } = await runDemo(
      await cassetteWith(
        { role: "planner", object: { summary: "no steps" } },
        { role: "planner", turn: 1, object: plan.object },
      ),
    );
    expect(doc.state).toBe("done");
    const repair = h.replay.requests.find((r) => r.tag.role === "planner" && r.tag.turn === 1);
    expect(JSON.stringify(repair?.messages.at(-1))).toContain("steps");
    expect(doc.ledger.filter((c) => c.role === "planner")).toHaveLength(2);
  });

  it("a model answer invalid twice escalates; /approve asks again under a new key", async () => {
    const { doc, host, task, h } = await runDemo(
      await cassetteWith(
        { role: "plan_reviewer", object: { status: "maybe" } },
        { role: "plan_reviewer", turn: 1, object: { status: "still no" } },
      ),
    );
    expect(doc.state).toBe("awaiting_human");
    expect(doc.escalation).toMatchObject({ reason: "invalid_output", phase: "plan_review" });
    expect(doc.escalation?.message).toMatch(/does not match the schema/);
    const comments = await readdir(join(h.repo, ".orchestrator", "comments", task.id));
    expect(comments.some((f) => f.includes("awaiting-human-1-escalation"))).toBe(true);
    const refused = await host.engine.command(task.id, {
      command: "approve",
      by: "m",
      escalation: 7,
    });
    expect(refused).toMatchObject({ applied: false, reason: expect.stringContaining("resolved") });
    const applied = await host.engine.command(task.id, { command: "approve", by: "m" });
    expect(applied.applied).toBe(true);
    // The cassette has no third answer: asked under the new key, its miss is said, not thrown.
    const again = await host.engine.run(task.id);
    expect(again.escalation).toMatchObject({
      reason: "internal_error",
      message: expect.stringMatching(/no answer for plan_reviewer\|-\|2\|0/),
    });
    // On the CLI there is no App: the comment it writes says where the details are here.
    const written = await readdir(join(h.repo, ".orchestrator", "comments", task.id));
    const internal = written
      .filter((f) => f.includes("escalation"))
      .sort()
      .at(-1)!;
    const text = await readFile(
      join(h.repo, ".orchestrator", "comments", task.id, internal),
      "utf8",
    );
    expect(text).toMatch(/standard error on the CLI/);
    expect(text).not.toMatch(/The App failed/);
  });

  it("a truncated answer is never repaired", async () => {
    const { doc, h } = await runDemo(
      await cassetteWith({ role: "planner", stop: "max_tokens", text: '{"summary": "cut' }),
    );
    expect(doc.escalation?.reason).toBe("truncated");
    expect(h.replay.requests.filter((r) => r.tag.role === "planner")).toHaveLength(1);
  });

  it("a change to a protected path is refused before any commit, and the work tree is left clean", async () => {
    const firstTurn = (await demoCassette()).calls.find(
      (c) => c.role === "implementer" && c.step === "S1" && c.turn === 0,
    )!;
    const { doc, h } = await runDemo(
      await cassetteWith(
        firstTurn,
        {
          role: "implementer",
          step: "S1",
          turn: 1,
          tool_calls: [
            {
              name: "write_file",
              input: { path: ".github/workflows/ci.yml", content: "on: push" },
            },
          ],
        },
        {
          role: "implementer",
          step: "S1",
          turn: 2,
          tool_calls: [{ name: "finish", input: { summary: "done" } }],
        },
      ),
    );
    expect(doc.state).toBe("done");
    const refusal = h.replay.requests.find(
      (r) => r.tag.role === "implementer" && r.tag.step === "S1" && r.tag.turn === 2,
    );
    expect(JSON.stringify(refusal?.messages.at(-1))).toMatch(
      /refused: .github\/workflows\/ci.yml is protected/,
    );
    expect(
      await new Git({ cwd: h.repo }).output(["ls-tree", "-r", "--name-only", doc.branch]),
    ).not.toContain(".github");
  });

  it("the implementer cannot leave the work tree; each attempt is answered with an error it can read", async () => {
    const escapes = ["../outside.txt", "/etc/hostname", ".git/config", "src/../../x"];
    const { h } = await runDemo(
      await cassetteWith(
        {
          role: "implementer",
          step: "S1",
          tool_calls: escapes.map((path) => ({
            name: "write_file",
            input: { path, content: "pwned" },
          })),
        },
        {
          role: "implementer",
          step: "S1",
          turn: 1,
          tool_calls: [
            {
              name: "write_file",
              input: { path: "src/truncate.js", content: "export const truncate = (t) => t;\n" },
            },
            { name: "finish", input: { summary: "ok" } },
          ],
        },
      ),
    );
    const reply = JSON.stringify(
      h.replay.requests.find((r) => r.tag.step === "S1" && r.tag.turn === 1)?.messages.at(-1),
    );
    expect(reply.match(/"isError":true/g)).toHaveLength(escapes.length);
  });

  it("a step with no change escalates", async () => {
    const { doc } = await runDemo(
      await cassetteWith({
        role: "implementer",
        step: "S2",
        tool_calls: [{ name: "finish", input: { summary: "nothing to do" } }],
      }),
    );
    expect(doc.escalation).toMatchObject({ reason: "no_changes", phase: "implementing" });
  });

  it("an implementer that never finishes is stopped at the turn limit", async () => {
    const loop = Array.from({ length: 3 }, (_, turn) => ({
      role: "implementer",
      step: "S1",
      turn,
      tool_calls: [{ name: "list_files", input: {} }],
    }));
    const h = await harness(await cassetteWith(...loop));
    const host = await h.host({
      config: {
        ...(await h.host()).config,
        implementer: {
          max_tool_turns: 3,
          max_changed_files: 40,
          max_output_tokens: 1000,
          agent_minutes: 20,
        },
      },
    });
    const task = await demoTask();
    await host.engine.start(task);
    const doc = await host.engine.run(task.id);
    expect(doc.escalation?.reason).toBe("tool_limit");
    // The status hands back what it has, like a budget stop.
    const status = await readFile(
      join(h.repo, ".orchestrator", "comments", task.id, "STATUS.md"),
      "utf8",
    );
    expect(status).toContain("Stopped at a cap");
    expect(status).toContain("- Next: S1, implementing, again from a clean work tree");
    expect(status).toContain("`/retry <feedback>`");
  });

  it("a budget smaller than the first call's most it could cost stops the task before that call", async () => {
    const h = await harness();
    const base = await h.host();
    const host = await h.host({
      config: { ...base.config, limits: { ...base.config.limits, task_budget_usd: 0.005 } },
    });
    const task = await demoTask();
    await host.engine.start(task);
    const doc = await host.engine.run(task.id);
    expect(doc.escalation).toMatchObject({ reason: "budget_reached", phase: "planning" });
    expect(h.replay.requests).toHaveLength(0);
    expect(doc.ledger).toEqual([]);
  });
});
