import { SpanKind, type Attributes, type Tracer } from "@opentelemetry/api";
import type { CallRecord } from "../../../core/cost/ledger.ts";
import type { ModelResponse } from "../../../ports/language-model.ts";
import type { Clock } from "../../../ports/clock.ts";
import type { Logger } from "../../../ports/logger.ts";
import { inSpan, type Instruments } from "../../telemetry.ts";
import {
  GEN_AI,
  genAiErrorType,
  genAiRequest,
  genAiResponse,
  genAiSpanName,
  inputTokens,
} from "../gen-ai.ts";
import { callLogger, type CallRequest, type CallResult, type Stage } from "./stage.ts";

export interface ObserveDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly instruments: Instruments;
}

/** How one kind of call is named in OpenTelemetry's GenAI conventions. */
export interface Operation<Req, Res> {
  /** The span's name when `ref` is asked first. */
  spanName(ref: string): string;
  /** The GenAI attributes known before the call (operation, provider, model, limits). */
  request(ref: string, request: Req): Attributes;
  /** The GenAI attributes of the answer (the model that gave it, why it stopped, its tokens). */
  response(record: CallRecord, response: Res): Attributes;
}

/** A model call is a chat completion: `chat {model}`, with its token limit. */
export const CHAT: Operation<CallRequest, ModelResponse> = {
  spanName: genAiSpanName,
  request: (ref, request) => genAiRequest(ref, request.maxOutputTokens),
  response: (record, response) => genAiResponse(record.model, response.stopReason, response.usage),
};

/**
 * The paid call's span, of kind CLIENT with OpenTelemetry's GenAI attributes (`gen-ai.ts`,
 * named per kind of call by `operation`: `chat {model}` for a model) and ours (`llm.*`: role,
 * prompt, turn, cost, retries, fallbacks), the GenAI client metrics and ours, and one log line
 * per answered call. A failure sets `error.type` on the span and the duration metric. Every
 * attribute passes the engine's redacting tracer.
 */
export function observe<Req, Res>(
  deps: ObserveDeps,
  operation: Operation<Req, Res>,
): Stage<Req, Res> {
  return (next) => (call) => {
    const requested = call.candidates[0] ?? call.site.modelRef;
    const request = operation.request(requested, call.request);
    const started = deps.clock.now();
    const seconds = (): number => Math.max(0, deps.clock.now() - started) / 1000;
    return inSpan(
      deps.tracer,
      operation.spanName(requested),
      {
        ...request,
        "llm.role": call.site.role,
        "llm.model": requested,
        "llm.prompt": call.site.prompt,
        "llm.turn": call.turn,
      },
      async (span) => {
        let result: CallResult<Res>;
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
        const u = record.usage;
        for (const [kind, n] of [
          ["input", u.input.noCache],
          ["cache_read", u.input.cacheRead],
          ["cache_write", u.input.cacheWrite],
          ["output", u.output],
        ] as const) {
          if (n > 0) deps.instruments.llmTokens.add(n, { ...labels, kind });
        }
        const answered = {
          ...metricAttributes(operation.request(record.model, call.request)),
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
          ...operation.request(record.model, call.request),
          ...operation.response(record, response),
          "llm.model": record.model,
          "llm.cost_usd": record.costUsd,
          "llm.stop_reason": record.stopReason,
          "llm.retries": record.retries?.length ?? 0,
          ...(record.fallback ? { "llm.fallback_from": record.fallback.map((f) => f.model) } : {}),
        });
        callLogger(deps.logger, call, record.model).info(
          {
            costUsd: record.costUsd,
            durationMs: record.durationMs,
            stopReason: record.stopReason,
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
