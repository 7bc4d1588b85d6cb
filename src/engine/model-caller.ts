import { z } from "zod";
import { CallRecord, type Role } from "../core/cost/ledger.ts";
import { costOf } from "../core/cost/prices.ts";
import type { ModelRegistry } from "../core/models/registry.ts";
import type { Clock } from "../ports/clock.ts";
import type { ModelRequest, ModelResponse } from "../ports/language-model.ts";
import type { Logger } from "../ports/logger.ts";
import type { StateStore } from "../ports/state-store.ts";
import type { ModelResolver } from "./deps.ts";
import { withRetry, type RetrySettings } from "./retry.ts";
import { inSpan, type Instruments } from "./telemetry.ts";
import type { Tracer } from "@opentelemetry/api";

const JournalEntry = z.object({
  record: CallRecord,
  response: z.custom<ModelResponse>((v) => typeof v === "object" && v !== null),
});

/** Where a call is made from: everything that names it, given once per effect. */
export interface CallSite {
  readonly task: string;
  /** Key of the effect the call belongs to. */
  readonly effectKey: string;
  readonly role: Role;
  /** `provider/model`. */
  readonly modelRef: string;
  readonly step: string | null;
  readonly attempt: number;
  /** `id@version` of the prompt. */
  readonly prompt: string;
}

export type CallRequest = Omit<ModelRequest, "model" | "tag">;

export interface CallResult {
  readonly response: ModelResponse;
  readonly record: CallRecord;
}

/** One turn of a call site: paid for at most once, whatever happens to the process. */
export type BoundCall = (turn: number, request: CallRequest) => Promise<CallResult>;

export interface ModelCaller {
  /** The calls of one effect. */
  at(site: CallSite): BoundCall;
  /** Every journaled call of an effect, in turn order (for an effect whose result was not saved). */
  journaled(task: string, effectKey: string): Promise<CallRecord[]>;
}

/** One call on its way through the stages. */
interface PendingCall {
  readonly site: CallSite;
  readonly turn: number;
  readonly key: string;
  readonly request: CallRequest;
}
type Invoke = (call: PendingCall) => Promise<CallResult>;
/** A stage wraps the rest of the pipeline; limiters, breakers and budgets are further stages. */
type Stage = (next: Invoke) => Invoke;

export interface ModelCallerDeps {
  readonly store: StateStore;
  readonly models: ModelResolver;
  readonly registry: ModelRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly instruments: Instruments;
  readonly retry: RetrySettings;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/**
 * The model caller, built once per engine: journal → trace and meter → retry → provider. A
 * journaled answer is returned as it is; a new one is journaled before it is returned, so a
 * crash after that point never calls the model again.
 */
export function createModelCaller(deps: ModelCallerDeps): ModelCaller {
  const stages: Stage[] = [journal(deps), observe(deps), retry(deps)];
  const invoke = stages.reduceRight<Invoke>((next, stage) => stage(next), provider(deps));
  return {
    at: (site) => (turn, request) =>
      invoke({ site, turn, key: `${site.effectKey}#${turn}`, request }),
    async journaled(task, effectKey) {
      const records: CallRecord[] = [];
      for (let turn = 0; ; turn++) {
        const entry = JournalEntry.safeParse(
          await deps.store.readCall({ task, key: `${effectKey}#${turn}` }),
        );
        if (!entry.success) return records;
        records.push(entry.data.record);
      }
    },
  };
}

/** Answers from the journal when it has the call; journals new answers before returning them. */
function journal(deps: ModelCallerDeps): Stage {
  return (next) => async (call) => {
    const journaled = JournalEntry.safeParse(
      await deps.store.readCall({ task: call.site.task, key: call.key }),
    );
    if (journaled.success) return journaled.data;
    const result = await next(call);
    await deps.store.writeCall({ task: call.site.task, key: call.key, value: result });
    return result;
  };
}

/** The `llm.call` span, the metrics and one log line per answered call. */
function observe(deps: ModelCallerDeps): Stage {
  return (next) => (call) =>
    inSpan(
      deps.tracer,
      "llm.call",
      {
        "llm.role": call.site.role,
        "llm.model": call.site.modelRef,
        "llm.prompt": call.site.prompt,
        "llm.turn": call.turn,
      },
      async (span) => {
        const result = await next(call);
        const { record, response } = result;
        const labels = { role: record.role, model: record.model };
        deps.instruments.llmCalls.add(1, labels);
        deps.instruments.llmCost.add(record.costUsd, labels);
        const u = response.usage;
        for (const [kind, n] of [
          ["input", u.input.noCache],
          ["cache_read", u.input.cacheRead],
          ["cache_write", u.input.cacheWrite],
          ["output", u.output],
        ] as const) {
          if (n > 0) deps.instruments.llmTokens.add(n, { ...labels, kind });
        }
        span.setAttributes({
          "llm.cost_usd": record.costUsd,
          "llm.output_tokens": u.output,
          "llm.stop_reason": response.stopReason,
        });
        log(deps, call).info(
          {
            costUsd: record.costUsd,
            durationMs: record.durationMs,
            stopReason: response.stopReason,
          },
          "model answered",
        );
        return result;
      },
    );
}

/** Our one retry policy around the provider (SDK retries are off). */
function retry(deps: ModelCallerDeps): Stage {
  return (next) => (call) =>
    withRetry(() => next(call), {
      ...deps.retry,
      sleep: deps.sleep,
      random: deps.random,
      onRetry: (error, attempt, delayMs) => {
        log(deps, call).warn(
          { kind: error.kind, retry: attempt, delayMs },
          "provider call failed, retrying",
        );
      },
    });
}

/** The provider's answer, priced from the table, as a ledger record. */
function provider(deps: ModelCallerDeps): Invoke {
  return async ({ site, turn, key, request }) => {
    const price = deps.registry.models.get(site.modelRef)?.price;
    if (!price)
      throw new Error(`model ${site.modelRef} has no price; routing should have refused it`);
    const { client, model } = deps.models(site.modelRef);
    const started = deps.clock.now();
    const response = await client.generate({
      ...request,
      model,
      tag: { task: site.task, role: site.role, step: site.step, attempt: site.attempt, turn },
    });
    const record: CallRecord = {
      key,
      role: site.role,
      model: site.modelRef,
      prompt: site.prompt,
      usage: response.usage,
      costUsd: costOf(response.usage, price, new Date(started).toISOString().slice(0, 10)),
      durationMs: Math.max(0, deps.clock.now() - started),
      at: new Date(started).toISOString(),
      stopReason: response.stopReason,
    };
    return { response, record };
  };
}

function log(deps: ModelCallerDeps, call: PendingCall): Logger {
  return deps.logger.child({
    task: call.site.task,
    step: call.site.step,
    role: call.site.role,
    model: call.site.modelRef,
    attempt: call.site.attempt,
  });
}
