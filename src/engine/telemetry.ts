import {
  SpanStatusCode,
  type Attributes,
  type Meter,
  type Span,
  type Tracer,
} from "@opentelemetry/api";

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
): Promise<T> {
  return tracer.startActiveSpan(name, { attributes }, async (span) => {
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

/** The metric instruments of DESIGN.md §7, created once per engine. */
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
    }),
    llmCost: meter.createCounter("orchestrator_llm_cost_usd", {
      description: "Model spend in US dollars",
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
