import type { Context } from "@opentelemetry/api";
import { z } from "zod";
import { CallRecord, type Role } from "../core/cost/ledger.ts";
import { costOf } from "../core/cost/prices.ts";
import { redactDeep, redactSecrets } from "../core/text/redact.ts";
import type { ModelRequest, ModelResponse } from "../ports/language-model.ts";
import type { EngineDeps } from "./deps.ts";
import { withRetry } from "./retry.ts";
import { inSpan, type Instruments } from "./telemetry.ts";

const JournalEntry = z.object({
  record: CallRecord,
  response: z.custom<ModelResponse>((v) => typeof v === "object" && v !== null),
});

export interface CallArgs {
  readonly task: string;
  /** Key of the effect this call belongs to. */
  readonly effectKey: string;
  readonly turn: number;
  readonly role: Role;
  /** `provider/model`. */
  readonly modelRef: string;
  /** `id@version` of the prompt. */
  readonly prompt: string;
  readonly step: string | null;
  readonly attempt: number;
  readonly request: Omit<ModelRequest, "model" | "tag">;
}

export interface CallResult {
  readonly response: ModelResponse;
  readonly record: CallRecord;
}

/**
 * One model call, paid at most once: a journaled answer is returned as it is; a new answer is
 * journaled before it is returned, so a crash after this point never calls the model again.
 */
export async function callModel(
  deps: EngineDeps,
  instruments: Instruments,
  ctx: Context,
  args: CallArgs,
): Promise<CallResult> {
  const key = `${args.effectKey}#${args.turn}`;
  const journaled = JournalEntry.safeParse(await deps.store.readCall({ task: args.task, key }));
  if (journaled.success) return journaled.data;
  const price = deps.prices.models[args.modelRef];
  if (!price)
    throw new Error(`model ${args.modelRef} has no price; routing should have refused it`);
  const { client, model } = deps.models(args.modelRef);
  const log = deps.logger.child({
    task: args.task,
    step: args.step,
    role: args.role,
    model: args.modelRef,
    attempt: args.attempt,
  });
  return inSpan(
    deps.tracer,
    "llm.call",
    ctx,
    {
      "llm.role": args.role,
      "llm.model": args.modelRef,
      "llm.prompt": args.prompt,
      "llm.turn": args.turn,
    },
    async (_ctx, span) => {
      const started = deps.clock.now();
      const raw = await withRetry(
        () =>
          client.generate({
            ...args.request,
            model,
            tag: {
              task: args.task,
              role: args.role,
              step: args.step,
              attempt: args.attempt,
              turn: args.turn,
            },
          }),
        {
          ...deps.settings.retry,
          sleep: deps.sleep,
          random: deps.random,
          onRetry: (error, attempt, delayMs) => {
            log.warn(
              { kind: error.kind, attempt: args.attempt, retry: attempt, delayMs },
              "provider call failed, retrying",
            );
          },
        },
      );
      // Prose and structured answers never carry a secret further; tool inputs are code and stay.
      const response: ModelResponse = {
        ...raw,
        text: redactSecrets(raw.text, deps.settings.secrets),
        ...(raw.object === undefined
          ? {}
          : { object: redactDeep(raw.object, deps.settings.secrets) }),
        content: raw.content.map((p) =>
          p.type === "text" ? { ...p, text: redactSecrets(p.text, deps.settings.secrets) } : p,
        ),
      };
      const record: CallRecord = {
        key,
        role: args.role,
        model: args.modelRef,
        prompt: args.prompt,
        usage: response.usage,
        costUsd: costOf(response.usage, price),
        durationMs: Math.max(0, deps.clock.now() - started),
        at: new Date(started).toISOString(),
        stopReason: response.stopReason,
      };
      await deps.store.writeCall({
        task: args.task,
        key,
        value: redactDeep({ record, response }, deps.settings.secrets),
      });
      const labels = { role: args.role, model: args.modelRef };
      instruments.llmCalls.add(1, labels);
      instruments.llmCost.add(record.costUsd, labels);
      const u = response.usage;
      for (const [kind, n] of [
        ["input", u.input.noCache],
        ["cache_read", u.input.cacheRead],
        ["cache_write", u.input.cacheWrite],
        ["output", u.output],
      ] as const) {
        if (n > 0) instruments.llmTokens.add(n, { ...labels, kind });
      }
      span.setAttributes({
        "llm.cost_usd": record.costUsd,
        "llm.output_tokens": u.output,
        "llm.stop_reason": response.stopReason,
      });
      log.info(
        { costUsd: record.costUsd, durationMs: record.durationMs, stopReason: response.stopReason },
        "model answered",
      );
      return { response, record };
    },
  );
}

/** Every journaled call of an effect, in turn order (for an effect whose result was not saved). */
export async function journaledCalls(
  deps: EngineDeps,
  task: string,
  effectKey: string,
): Promise<CallRecord[]> {
  const records: CallRecord[] = [];
  for (let turn = 0; ; turn++) {
    const entry = JournalEntry.safeParse(
      await deps.store.readCall({ task, key: `${effectKey}#${turn}` }),
    );
    if (!entry.success) return records;
    records.push(entry.data.record);
  }
}
