// Calls and answers for testing one stage of the model caller on its own.
import { pricedCall } from "../../src/core/cost/record.ts";
import type { Usage } from "../../src/core/cost/usage.ts";
import { modelRegistry } from "../../src/config/models.ts";
import type { CallResult, Invoke, PendingCall } from "../../src/engine/calls/stages/stage.ts";
import type { ModelResponse } from "../../src/ports/language-model.ts";

export const NOW = Date.parse("2026-11-23T08:00:00Z");
export const clock = { now: () => NOW };
export const registry = modelRegistry();
export const SONNET = "anthropic/claude-sonnet-4-5";

export function pendingCall(over: Partial<PendingCall> = {}): PendingCall {
  return {
    site: {
      task: "T1",
      effectKey: "T1:planning:-:1:plan",
      role: "planner",
      modelRef: SONNET,
      step: null,
      attempt: 1,
      prompt: "planner@2",
    },
    turn: 0,
    key: "T1:planning:-:1:plan#0",
    request: {
      system: "s",
      messages: [{ role: "user", content: [{ type: "text", text: "hi" }] }],
      maxOutputTokens: 100,
    },
    candidates: [SONNET],
    spentUsd: 0,
    ...over,
  };
}

export const USAGE: Usage = {
  input: { noCache: 1_000, cacheRead: 200, cacheWrite: 50 },
  output: 300,
};

/** A priced answer from `model`, as the provider stage would give it. */
export function answer(
  model = SONNET,
  usage: Usage = USAGE,
  key = "T1:planning:-:1:plan#0",
): CallResult {
  const info = registry.models.get(model);
  if (!info) throw new Error(`no ${model} in the registry`);
  const response: ModelResponse = {
    text: "ok",
    content: [{ type: "text", text: "ok" }],
    stopReason: "end",
    usage,
  };
  const record = pricedCall({
    key,
    role: "planner",
    model: info,
    prompt: "planner@2",
    usage,
    stopReason: "end",
    startedMs: NOW,
    endedMs: NOW + 1_500,
  });
  return { response, record };
}

/** A `next` that answers (or fails) as told, and keeps every call it was given. */
export function recordingNext(
  outcome: (call: PendingCall, n: number) => Promise<CallResult>,
): Invoke & {
  calls: PendingCall[];
} {
  const calls: PendingCall[] = [];
  const next = (call: PendingCall) => {
    calls.push(call);
    return outcome(call, calls.length);
  };
  return Object.assign(next, { calls });
}
