import { context, trace } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from "@opentelemetry/sdk-trace-base";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { demoTask, harness } from "../fakes/harness.ts";

function tree(spans: readonly ReadableSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const path = (s: ReadableSpan): string => {
    const parent = s.parentSpanContext ? byId.get(s.parentSpanContext.spanId) : undefined;
    return parent ? `${path(parent)} › ${s.name}` : s.name;
  };
  return [...new Set(spans.map(path))].sort();
}

describe("telemetry", () => {
  it("one task gives the span tree orchestrator.run › task.run › phase spans › llm.call, and the metrics", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({
      exporter: metricExporter,
      exportIntervalMillis: 3_600_000,
    });
    const meters = new MeterProvider({ readers: [reader] });
    const h = await harness();
    const host = await h.host({
      tracer: provider.getTracer("test"),
      meter: meters.getMeter("test"),
    });
    const task = await demoTask();
    await host.engine.start(task);
    await host.engine.runMany([task.id], 1);
    const spans = exporter.getFinishedSpans();
    expect(tree(spans)).toEqual([
      "orchestrator.run",
      "orchestrator.run › task.run",
      "orchestrator.run › task.run › quality_gate.run",
      "orchestrator.run › task.run › step.run",
      "orchestrator.run › task.run › step.run › llm.call",
      "orchestrator.run › task.run › task.plan",
      "orchestrator.run › task.run › task.plan › llm.call",
      "orchestrator.run › task.run › task.review_plan",
      "orchestrator.run › task.run › task.review_plan › llm.call",
    ]);
    const llm = spans.filter((s) => s.name === "llm.call");
    expect(llm).toHaveLength(h.replay.requests.length);
    expect(llm[0]?.attributes).toMatchObject({
      "llm.role": "planner",
      "llm.model": "google/gemini-3.1-pro-preview",
      "llm.prompt": "planner@3",
    });
    expect(spans.find((s) => s.name === "task.run")?.attributes["task.state"]).toBe("done");
    // One trace: every span but the root has its parent among the spans, none is left open,
    // and no span stays active after the run.
    const ids = new Set(spans.map((s) => s.spanContext().spanId));
    const roots = spans.filter((s) => !s.parentSpanContext);
    expect(roots.map((s) => s.name)).toEqual(["orchestrator.run"]);
    for (const s of spans)
      if (s.parentSpanContext) expect(ids.has(s.parentSpanContext.spanId), s.name).toBe(true);
    expect(new Set(spans.map((s) => s.spanContext().traceId)).size).toBe(1);
    expect(trace.getSpan(context.active())).toBeUndefined();

    await reader.forceFlush();
    const names = metricExporter
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics.map((m) => m.descriptor.name)));
    expect(names).toEqual(
      expect.arrayContaining([
        "orchestrator_tasks_total",
        "orchestrator_llm_calls_total",
        "orchestrator_llm_tokens_total",
        "orchestrator_llm_cost_usd",
        "orchestrator_quality_gate_runs_total",
        "orchestrator_task_duration_seconds",
      ]),
    );
    await meters.shutdown();
  });
});
