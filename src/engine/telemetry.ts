import {
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Meter,
  type Span,
  type Tracer,
  ValueType,
} from "@opentelemetry/api";
import { GEN_AI_METRICS } from "./calls/gen-ai.ts";

/**
 * Runs `fn` in a span that is the active one while it runs, a child of whichever span was
 * active: the context travels through OpenTelemetry's context manager, not through arguments.
 * Failures are recorded on the span.
 */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  kind: SpanKind = SpanKind.INTERNAL,
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes, kind }, async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * The metric instruments, created once per engine: ours (DESIGN.md §7) and the GenAI client
 * metrics of OpenTelemetry's semantic conventions, with their units and bucket advice.
 */
export function createInstruments(meter: Meter) {
  return {
    tasks: meter.createCounter("orchestrator_tasks_total", {
      description: "Tasks that reached an end or a human",
    }),
    llmCalls: meter.createCounter("orchestrator_llm_calls_total", {
      description: "Model calls paid for",
    }),
    llmTokens: meter.createCounter("orchestrator_llm_tokens_total", {
      description: "Tokens by kind",
      unit: "{token}",
    }),
    llmCost: meter.createCounter("orchestrator_llm_cost_usd", {
      description: "Model spend in US dollars",
      unit: "USD",
    }),
    genAiTokens: meter.createHistogram(GEN_AI_METRICS.tokenUsage.name, {
      description: GEN_AI_METRICS.tokenUsage.description,
      unit: GEN_AI_METRICS.tokenUsage.unit,
      valueType: ValueType.INT,
      advice: { explicitBucketBoundaries: [...GEN_AI_METRICS.tokenUsage.buckets] },
    }),
    genAiDuration: meter.createHistogram(GEN_AI_METRICS.duration.name, {
      description: GEN_AI_METRICS.duration.description,
      unit: GEN_AI_METRICS.duration.unit,
      advice: { explicitBucketBoundaries: [...GEN_AI_METRICS.duration.buckets] },
    }),
    gateRuns: meter.createCounter("orchestrator_quality_gate_runs_total", {
      description: "Quality gate runs",
    }),
    taskDuration: meter.createHistogram("orchestrator_task_duration_seconds", {
      description: "Time from start to end",
      unit: "s",
    }),
  };
}
export type Instruments = ReturnType<typeof createInstruments>;
