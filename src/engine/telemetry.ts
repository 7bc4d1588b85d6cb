import {
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Meter,
  type Span,
  type Tracer,
} from "@opentelemetry/api";

/** Runs `fn` in a child span of `parent`, recording failures. */
export async function inSpan<T>(
  tracer: Tracer,
  name: string,
  parent: Context,
  attributes: Attributes,
  fn: (ctx: Context, span: Span) => Promise<T>,
): Promise<T> {
  const span = tracer.startSpan(name, { attributes }, parent);
  try {
    return await fn(trace.setSpan(parent, span), span);
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
