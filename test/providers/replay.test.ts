import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/core/errors.ts";
import { parseCassette } from "../../src/providers/replay/cassette.ts";
import { CassetteMissError, ReplayModels } from "../../src/providers/replay/replay-model.ts";

const request = (role: string, turn = 0) => ({
  model: "m",
  system: "s",
  messages: [],
  maxOutputTokens: 10,
  tag: { task: "T", role, step: null, attempt: 1, turn },
});

describe("replay provider", () => {
  const cassette = parseCassette(
    "providers: [anthropic, google]\ncalls:\n  - role: planner\n    object: {a: 1}\n    usage: {input: 10, output: 2, cache_read: 5}\n  - role: implementer\n    tool_calls: [{name: finish, input: {summary: ok}}]\n",
    "c.yaml",
  );

  it("answers by role, step, attempt and turn, records each request, and stands in for each provider", async () => {
    const replay = new ReplayModels(cassette);
    const answer = await replay.client("google").generate(request("planner"));
    expect(answer).toMatchObject({
      object: { a: 1 },
      stopReason: "end",
      usage: { input: { noCache: 10, cacheRead: 5, cacheWrite: 0 }, output: 2 },
    });
    const tools = await replay.client("anthropic").generate(request("implementer"));
    expect(tools).toMatchObject({
      stopReason: "tool_use",
      content: [{ type: "tool_call", name: "finish", input: { summary: "ok" } }],
    });
    expect(replay.requests.map((r) => r.tag.role)).toEqual(["planner", "implementer"]);
  });

  it("fails loudly on a request it has no answer for", async () => {
    const replay = new ReplayModels(cassette);
    await expect(replay.client("google").generate(request("planner", 1))).rejects.toThrow(
      CassetteMissError,
    );
    await expect(replay.client("google").generate(request("planner", 1))).rejects.toThrow(
      "planner|-|1|1",
    );
  });

  it("refuses a cassette with two answers for one key", () => {
    expect(() =>
      parseCassette("providers: [x]\ncalls:\n  - {role: planner}\n  - {role: planner}\n", "d.yaml"),
    ).toThrow(InvalidInputError);
  });
});
