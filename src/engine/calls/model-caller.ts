import { SpanKind, type Attributes, type Tracer } from "@opentelemetry/api";
import { z } from "zod";
import { CallRecord, roundUsd, type Role } from "../../core/cost/ledger.ts";
import { pricedCall } from "../../core/cost/record.ts";
import { ratesFor } from "../../core/cost/prices.ts";
import {
  BudgetExceededError,
  NoEligibleModelError,
  ProviderError,
  type RetryNote,
} from "../../core/errors.ts";
import type { ModelInfo, ModelRegistry } from "../../core/models/registry.ts";
import type { Clock } from "../../ports/clock.ts";
import type { ModelRequest, ModelResponse } from "../../ports/language-model.ts";
import type { Logger } from "../../ports/logger.ts";
import type { StateStore } from "../../ports/state-store.ts";
import type { ModelResolver } from "../deps.ts";
import { inSpan, type Instruments } from "../telemetry.ts";
import type { DayLimit } from "./day-spend.ts";
import { withRetry, type RetrySettings } from "./retry.ts";
import type { ModelTraffic } from "./traffic.ts";
import { estimateInputTokens } from "./tokens.ts";
import {
  GEN_AI,
  genAiErrorType,
  genAiRequest,
  genAiResponse,
  genAiSpanName,
  inputTokens,
} from "./gen-ai.ts";

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
  /** The routed model, `provider/model`. */
  readonly modelRef: string;
  /** Models to try in order when the routed one fails before it has answered in this effect. */
  readonly fallbacks?: readonly string[];
  /** Dollars the task may still spend (null: no task budget). */
  readonly budgetLeftUsd?: number | null;
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
  /** Models that may answer, in order; one once a model has answered in this effect. */
  readonly candidates: readonly string[];
  /** Dollars this effect's earlier turns cost. */
  readonly spentUsd: number;
  /** The model being tried (set by the fallback stage). */
  readonly model?: string;
}
type Invoke = (call: PendingCall) => Promise<CallResult>;
/** A stage wraps the rest of the pipeline. */
type Stage = (next: Invoke) => Invoke;

export interface ModelCallerDeps {
  readonly store: StateStore;
  readonly models: ModelResolver;
  readonly registry: ModelRegistry;
  readonly traffic: ModelTraffic;
  /** Day budgets this engine's calls count against. */
  readonly dayLimits: readonly DayLimit[];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly instruments: Instruments;
  readonly retry: RetrySettings;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/**
 * The model caller, built once per engine: journal → trace and meter → fallback → budgets →
 * retry → rate limits → circuit → provider. A journaled answer is returned as it is; a new one
 * is journaled before it is returned, so a crash after that point never calls the model again.
 */
export function createModelCaller(deps: ModelCallerDeps): ModelCaller {
  const stages: Stage[] = [
    journal(deps),
    observe(deps),
    fallback(deps),
    budgets(deps),
    retry(deps),
    rateLimit(deps),
    circuit(deps),
  ];
  const invoke = stages.reduceRight<Invoke>((next, stage) => stage(next), provider(deps));
  return {
    at: (site) => {
      // Once a model has answered in this effect, the effect's later turns stay with it.
      let answeredBy: string | undefined;
      let spentUsd = 0;
      return async (turn, request) => {
        const result = await invoke({
          site,
          turn,
          key: `${site.effectKey}#${turn}`,
          request,
          candidates: answeredBy ? [answeredBy] : [site.modelRef, ...(site.fallbacks ?? [])],
          spentUsd,
        });
        answeredBy = result.record.model;
        spentUsd = roundUsd(spentUsd + result.record.costUsd);
        return result;
      };
    },
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

/**
 * The model call's span, `chat {model}` of kind CLIENT with OpenTelemetry's GenAI attributes
 * (`gen-ai.ts`) and ours (`llm.*`: role, prompt, turn, cost, retries, fallbacks), the GenAI
 * client metrics and ours, and one log line per answered call. A failure sets `error.type` on
 * the span and the duration metric. Every attribute passes the engine's redacting tracer.
 */
function observe(deps: ModelCallerDeps): Stage {
  return (next) => (call) => {
    const requested = call.candidates[0] ?? call.site.modelRef;
    const request = genAiRequest(requested, call.request.maxOutputTokens);
    const started = deps.clock.now();
    const seconds = (): number => Math.max(0, deps.clock.now() - started) / 1000;
    return inSpan(
      deps.tracer,
      genAiSpanName(requested),
      {
        ...request,
        "llm.role": call.site.role,
        "llm.model": requested,
        "llm.prompt": call.site.prompt,
        "llm.turn": call.turn,
      },
      async (span) => {
        let result: CallResult;
        try {
          result = await next(call);
        } catch (error) {
          const errorType = genAiErrorType(error);
          span.setAttribute(GEN_AI.errorType, errorType);
          deps.instruments.genAiDuration.record(seconds(), {
            ...metricAttributes(request),
            [GEN_AI.errorType]: errorType,
          });
          throw error;
        }
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
        const answered = {
          ...metricAttributes(genAiRequest(record.model, call.request.maxOutputTokens)),
          [GEN_AI.responseModel]: record.model.slice(record.model.indexOf("/") + 1),
        };
        deps.instruments.genAiDuration.record(seconds(), answered);
        deps.instruments.genAiTokens.record(inputTokens(u), {
          ...answered,
          [GEN_AI.tokenType]: "input",
        });
        deps.instruments.genAiTokens.record(u.output, {
          ...answered,
          [GEN_AI.tokenType]: "output",
        });
        span.setAttributes({
          ...genAiRequest(record.model, call.request.maxOutputTokens),
          ...genAiResponse(record.model, response.stopReason, u),
          "llm.model": record.model,
          "llm.cost_usd": record.costUsd,
          "llm.stop_reason": response.stopReason,
          "llm.retries": record.retries?.length ?? 0,
          ...(record.fallback ? { "llm.fallback_from": record.fallback.map((f) => f.model) } : {}),
        });
        log(deps, call, record.model).info(
          {
            costUsd: record.costUsd,
            durationMs: record.durationMs,
            stopReason: response.stopReason,
          },
          "model answered",
        );
        return result;
      },
      SpanKind.CLIENT,
    );
  };
}

/** The GenAI metrics' attributes: the request's, without its token limit (not a dimension). */
function metricAttributes(request: Attributes): Attributes {
  const { [GEN_AI.requestMaxTokens]: _, ...rest } = request;
  return rest;
}

/**
 * Tries the candidates in order: a model whose circuit is open is passed over (never the last
 * one), and a model that fails in a way another model may not (an outage, its quota, its key,
 * a prompt too long for its window) hands over to the next. The record names the model that
 * answered and the ones left before it, with why.
 */
function fallback(deps: ModelCallerDeps): Stage {
  return (next) => async (call) => {
    const left: { model: string; reason: string }[] = [];
    const { candidates } = call;
    if (candidates.length === 0)
      throw new NoEligibleModelError(`no model may answer for ${call.site.role}`);
    for (const [i, model] of candidates.entries()) {
      const last = i === candidates.length - 1;
      if (!last && !deps.traffic.breakers.allows(model, deps.clock.now())) {
        left.push({ model, reason: "circuit open" });
        continue;
      }
      try {
        const result = await next({ ...call, model });
        if (left.length === 0) return result;
        return { ...result, record: { ...result.record, fallback: left } };
      } catch (error) {
        if (last || !handsOver(error)) throw error;
        const reason = `${error.kind}: ${error.message}`.slice(0, 300);
        left.push({ model, reason });
        log(deps, call, model).warn(
          { kind: error.kind, next: candidates[i + 1] },
          "model failed, falling back",
        );
      }
    }
    throw new Error("unreachable");
  };
}

function handsOver(error: unknown): error is ProviderError {
  return error instanceof ProviderError && error.kind !== "invalid_request";
}

/**
 * Holds the most a call can cost (its prompt at full input price, every output token it may
 * write) against the task's budget and the day budgets; a call that could pass one is not made.
 */
function budgets(deps: ModelCallerDeps): Stage {
  return (next) => async (call) => {
    const model = call.model ?? call.site.modelRef;
    const info = deps.registry.models.get(model);
    if (!info)
      throw new NoEligibleModelError(`model ${model} has no known price; it is not called`);
    const maxUsd = maxCost(info, call.request, deps.clock.now());
    const left = call.site.budgetLeftUsd;
    if (left !== undefined && left !== null && call.spentUsd + maxUsd > left)
      throw new BudgetExceededError(
        "task",
        `the task has $${Math.max(0, left - call.spentUsd).toFixed(4)} of its budget left; the next ${call.site.role} call to ${model} could cost up to $${maxUsd.toFixed(4)}`,
      );
    const hold =
      deps.dayLimits.length > 0 ? await deps.traffic.daySpend.hold(deps.dayLimits, maxUsd) : null;
    try {
      const result = await next(call);
      hold?.settle(result.record.costUsd);
      return result;
    } catch (error) {
      hold?.settle(0);
      throw error;
    }
  };
}

/** The most one call can cost: the estimated prompt uncached, and the full output allowance. */
export function maxCost(info: ModelInfo, request: CallRequest, now: number): number {
  const input = estimateInputTokens(info.provider, request);
  const output = Math.min(request.maxOutputTokens, info.maxOutput);
  const usage = { input: { noCache: input, cacheRead: 0, cacheWrite: 0 }, output };
  const day = new Date(now).toISOString().slice(0, 10);
  const rates = ratesFor(info.price, usage, day);
  // A cache write costs more than plain input on some providers: count the dearer.
  const perInput = Math.max(rates.input, rates.cacheWrite);
  return roundUsd((input * perInput + output * rates.output) / 1_000_000 + 0.000_001);
}

/** Our one retry policy around the provider (SDK retries are off). Retries go into the record. */
function retry(deps: ModelCallerDeps): Stage {
  return (next) => async (call) => {
    const { value, retries } = await withRetry(() => next(call), {
      ...deps.retry,
      sleep: deps.sleep,
      random: deps.random,
      onRetry: (error, attempt, delayMs) => {
        log(deps, call, call.model).warn(
          { kind: error.kind, retry: attempt, delayMs },
          "provider call failed, retrying",
        );
      },
    });
    return retries.length === 0 ? value : withRetries(value, retries);
  };
}

function withRetries(result: CallResult, retries: readonly RetryNote[]): CallResult {
  return { ...result, record: { ...result.record, retries: [...retries] } };
}

/** Waits for the provider's and the model's token buckets; settles with what the call used. */
function rateLimit(deps: ModelCallerDeps): Stage {
  return (next) => async (call) => {
    const model = call.model ?? call.site.modelRef;
    const provider = model.slice(0, model.indexOf("/"));
    const ticket = await deps.traffic.rateLimits.reserve(
      model,
      {
        input: estimateInputTokens(provider, call.request),
        output: call.request.maxOutputTokens,
      },
      deps.sleep,
    );
    if (ticket.waitedMs > 0)
      log(deps, call, model).info({ waitedMs: ticket.waitedMs }, "waited for rate limit");
    try {
      const result = await next(call);
      const u = result.response.usage;
      ticket.settle({
        input: u.input.noCache + u.input.cacheRead + u.input.cacheWrite,
        output: u.output,
      });
      return result;
    } catch (error) {
      ticket.settle({ input: 0, output: 0 });
      throw error;
    }
  };
}

/** Every attempt's outcome goes to the model's circuit; failures of the request itself do not count. */
function circuit(deps: ModelCallerDeps): Stage {
  return (next) => async (call) => {
    const model = call.model ?? call.site.modelRef;
    try {
      const result = await next(call);
      deps.traffic.breakers.success(model);
      return result;
    } catch (error) {
      if (
        error instanceof ProviderError &&
        error.kind !== "invalid_request" &&
        error.kind !== "context_length"
      )
        deps.traffic.breakers.failure(model, deps.clock.now());
      throw error;
    }
  };
}

/** The provider's answer, priced from the registry, as a ledger record. */
function provider(deps: ModelCallerDeps): Invoke {
  return async ({ site, turn, key, request, model: chosen }) => {
    const modelRef = chosen ?? site.modelRef;
    const info = deps.registry.models.get(modelRef);
    if (!info)
      throw new NoEligibleModelError(`model ${modelRef} has no known price; it is not called`);
    const { client, model } = deps.models(modelRef);
    const started = deps.clock.now();
    const response = await client.generate({
      ...request,
      maxOutputTokens: Math.min(request.maxOutputTokens, info.maxOutput),
      model,
      tag: { task: site.task, role: site.role, step: site.step, attempt: site.attempt, turn },
    });
    const record = pricedCall({
      key,
      role: site.role,
      model: info,
      prompt: site.prompt,
      usage: response.usage,
      stopReason: response.stopReason,
      estimated: response.estimated,
      startedMs: started,
      endedMs: deps.clock.now(),
    });
    return { response, record };
  };
}

function log(deps: ModelCallerDeps, call: PendingCall, model: string | undefined): Logger {
  return deps.logger.child({
    task: call.site.task,
    step: call.site.step,
    role: call.site.role,
    model: model ?? call.site.modelRef,
    attempt: call.site.attempt,
  });
}
