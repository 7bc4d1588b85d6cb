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

  it("answers with the cassette's reasoning first, and refuses a later turn whose earlier turn came back changed, as the vendors do", async () => {
    const replay = new ReplayModels(
      parseCassette(
        [
          "providers: [anthropic]",
          "calls:",
          "  - role: implementer",
          "    reasoning: [{type: thinking, thinking: '', signature: sig-0}]",
          "    text: Reading.",
          "    tool_calls: [{name: read_file, input: {path: a.js}}]",
          "  - role: implementer",
          "    turn: 1",
          "    text: Done.",
        ].join("\n"),
        "r.yaml",
      ),
    );
    const client = replay.client("anthropic");
    const first = await client.generate(request("implementer"));
    expect(first.content.map((p) => p.type)).toEqual(["reasoning", "text", "tool_call"]);
    const next = (content: typeof first.content) => ({
      ...request("implementer", 1),
      messages: [
        { role: "user" as const, content: [{ type: "text" as const, text: "Go." }] },
        { role: "assistant" as const, content },
        {
          role: "user" as const,
          content: [
            { type: "tool_result" as const, toolCallId: "toolu_0_0", content: "x", isError: false },
          ],
        },
      ],
    });
    await expect(client.generate(next(first.content.slice(1)))).rejects.toMatchObject({
      kind: "invalid_request",
      message: expect.stringMatching(/turn 0 came back changed/),
    });
    expect((await client.generate(next(first.content))).text).toBe("Done.");
  });

  it("refuses a cassette with two answers for one key", () => {
    expect(() =>
      parseCassette("providers: [x]\ncalls:\n  - {role: planner}\n  - {role: planner}\n", "d.yaml"),
    ).toThrow(InvalidInputError);
  });
});
