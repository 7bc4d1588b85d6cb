import { describe, expect, it } from "vitest";
import { pipeline, type Stage } from "../../../src/engine/calls/stages/stage.ts";
import { answer, pendingCall } from "../../fakes/pending-call.ts";

describe("the pipeline", () => {
  it("runs the stages in list order, the first outermost and the last around the end", async () => {
    const seen: string[] = [];
    const stage =
      (name: string): Stage =>
      (next) =>
      async (call) => {
        seen.push(`${name} in`);
        const result = await next(call);
        seen.push(`${name} out`);
        return result;
      };
    const invoke = pipeline([stage("a"), stage("b")], () => {
      seen.push("end");
      return Promise.resolve(answer());
    });
    await invoke(pendingCall());
    expect(seen).toEqual(["a in", "b in", "end", "b out", "a out"]);
  });

  it("a stage may change the call for the stages after it, and not for those before", async () => {
    const models: string[] = [];
    const look: Stage = (next) => (call) => {
      models.push(call.model ?? "(none)");
      return next(call);
    };
    const choose: Stage = (next) => (call) => next({ ...call, model: "openai/gpt-6.1-terra" });
    await pipeline([look, choose, look], () => Promise.resolve(answer()))(pendingCall());
    expect(models).toEqual(["(none)", "openai/gpt-6.1-terra"]);
  });
});
