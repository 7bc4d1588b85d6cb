import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import * as semconv from "@opentelemetry/semantic-conventions/incubating";
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
import { demoCassette, demoTask, harness } from "../fakes/harness.ts";
import { GEN_AI, GEN_AI_METRICS, genAiProviderName } from "../../src/engine/calls/gen-ai.ts";

/** A model call's span name, `chat {model}`, as one node of the tree. */
const node = (name: string): string => (name.startsWith("chat ") ? "chat {model}" : name);

function recorders() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  const meters = new MeterProvider({ readers: [reader] });
  return {
    exporter,
    tracer: provider.getTracer("test"),
    meter: meters.getMeter("test"),
    async metrics() {
      await reader.forceFlush();
      const all = metricExporter
        .getMetrics()
        .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
      await meters.shutdown();
      return all;
    },
  };
}

function tree(spans: readonly ReadableSpan[]): string[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const path = (s: ReadableSpan): string => {
    const parent = s.parentSpanContext ? byId.get(s.parentSpanContext.spanId) : undefined;
    return parent ? `${path(parent)} › ${node(s.name)}` : node(s.name);
  };
  return [...new Set(spans.map(path))].sort();
}

describe("telemetry", () => {
  it("one task gives the span tree orchestrator.run › task.run › phase spans › chat {model}, and the metrics", async () => {
    const r = recorders();
    const { exporter } = r;
    const h = await harness();
    const host = await h.host({ tracer: r.tracer, meter: r.meter });
    const task = await demoTask();
    await host.engine.start(task);
    await host.engine.runMany([task.id], 1);
    const spans = exporter.getFinishedSpans();
    expect(tree(spans)).toEqual([
      "orchestrator.run",
      "orchestrator.run › task.run",
      "orchestrator.run › task.run › quality_gate.run",
      "orchestrator.run › task.run › step.run",
      "orchestrator.run › task.run › step.run › chat {model}",
      "orchestrator.run › task.run › task.plan",
      "orchestrator.run › task.run › task.plan › chat {model}",
      "orchestrator.run › task.run › task.review_plan",
      "orchestrator.run › task.run › task.review_plan › chat {model}",
    ]);
    const llm = spans.filter((s) => s.name.startsWith("chat "));
    expect(llm).toHaveLength(h.replay.requests.length);
    expect(llm[0]?.attributes).toMatchObject({
      "llm.role": "planner",
      "llm.model": "google/gemini-3.1-pro-preview",
      "llm.prompt": "planner@5",
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

    const names = (await r.metrics()).map((m) => m.descriptor.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "orchestrator_tasks_total",
        "orchestrator_llm_calls_total",
        "orchestrator_llm_tokens_total",
        "orchestrator_llm_cost_usd",
        "orchestrator_quality_gate_runs_total",
        "orchestrator_task_duration_seconds",
        "gen_ai.client.token.usage",
        "gen_ai.client.operation.duration",
      ]),
    );
  });

  it("our GenAI names are the semantic conventions' own (@opentelemetry/semantic-conventions)", () => {
    /* eslint-disable @typescript-eslint/no-deprecated -- the package marks its GenAI names
       deprecated because the conventions moved to open-telemetry/semantic-conventions-genai; the
       names are the same there (docs/gen-ai/gen-ai-spans.md, gen-ai-metrics.md). */
    expect(GEN_AI).toEqual({
      operation: semconv.ATTR_GEN_AI_OPERATION_NAME,
      provider: semconv.ATTR_GEN_AI_PROVIDER_NAME,
      requestModel: semconv.ATTR_GEN_AI_REQUEST_MODEL,
      requestMaxTokens: semconv.ATTR_GEN_AI_REQUEST_MAX_TOKENS,
      responseModel: semconv.ATTR_GEN_AI_RESPONSE_MODEL,
      finishReasons: semconv.ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
      inputTokens: semconv.ATTR_GEN_AI_USAGE_INPUT_TOKENS,
      outputTokens: semconv.ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
      cacheReadTokens: semconv.ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
      cacheCreationTokens: semconv.ATTR_GEN_AI_USAGE_CACHE_CREATION_INPUT_TOKENS,
      reasoningTokens: semconv.ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
      tokenType: semconv.ATTR_GEN_AI_TOKEN_TYPE,
      errorType: semconv.ATTR_ERROR_TYPE,
    });
    expect(GEN_AI_METRICS.tokenUsage.name).toBe(semconv.METRIC_GEN_AI_CLIENT_TOKEN_USAGE);
    expect(GEN_AI_METRICS.duration.name).toBe(semconv.METRIC_GEN_AI_CLIENT_OPERATION_DURATION);
    // The registry's well-known provider names: Gemini's API is gcp.gemini.
    expect(genAiProviderName("google/gemini-3.1-pro-preview")).toBe(
      semconv.GEN_AI_PROVIDER_NAME_VALUE_GCP_GEMINI,
    );
    expect(genAiProviderName("anthropic/claude-sonnet-5-5")).toBe(
      semconv.GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC,
    );
    expect(genAiProviderName("openai/gpt-6-luna")).toBe(semconv.GEN_AI_PROVIDER_NAME_VALUE_OPENAI);
    /* eslint-enable @typescript-eslint/no-deprecated */
    // No well-known value: our provider id.
    expect(genAiProviderName("ollama/qwen3-coder:30b")).toBe("ollama");
  });

  it("each model call is a `chat {model}` CLIENT span with the GenAI attributes, and the GenAI metrics have their units and buckets", async () => {
    const r = recorders();
    const h = await harness();
    const host = await h.host({ tracer: r.tracer, meter: r.meter });
    const task = await demoTask();
    await host.engine.start(task);
    await host.engine.runMany([task.id], 1);
    const calls = r.exporter.getFinishedSpans().filter((s) => s.name.startsWith("chat "));
    expect(calls.length).toBeGreaterThan(0);
    for (const span of calls) {
      const a = span.attributes;
      expect(span.kind).toBe(SpanKind.CLIENT);
      expect(span.name).toBe(`chat ${String(a[GEN_AI.requestModel])}`);
      expect(a[GEN_AI.operation]).toBe("chat");
      expect(a[GEN_AI.provider]).toBe(genAiProviderName(String(a["llm.model"])));
      expect(a[GEN_AI.responseModel]).toEqual(expect.any(String));
      // Input tokens include the cached ones.
      expect(Number(a[GEN_AI.inputTokens])).toBeGreaterThanOrEqual(
        Number(a[GEN_AI.cacheReadTokens]) + Number(a[GEN_AI.cacheCreationTokens]),
      );
      expect(Number(a[GEN_AI.outputTokens])).toBeGreaterThan(0);
      expect(a[GEN_AI.finishReasons]).toEqual([
        expect.stringMatching(/^(stop|tool_calls|length)$/),
      ]);
      expect(a[GEN_AI.errorType]).toBeUndefined();
      expect(a).not.toHaveProperty("gen_ai.system");
    }
    const planner = calls.find((s) => s.attributes["llm.role"] === "planner");
    expect(planner?.attributes).toMatchObject({
      [GEN_AI.provider]: "gcp.gemini",
      [GEN_AI.requestModel]: "gemini-3.1-pro-preview",
      [GEN_AI.responseModel]: "gemini-3.1-pro-preview",
      [GEN_AI.inputTokens]: 2140,
      [GEN_AI.outputTokens]: 410,
    });
    // The cassette's cached turn: 3,420 fresh input tokens and 2,900 read from the cache.
    expect(
      calls.some(
        (s) =>
          s.attributes[GEN_AI.cacheReadTokens] === 2900 &&
          s.attributes[GEN_AI.inputTokens] === 3420 + 2900,
      ),
    ).toBe(true);

    const metrics = await r.metrics();
    const usage = metrics.find((m) => m.descriptor.name === "gen_ai.client.token.usage");
    const duration = metrics.find((m) => m.descriptor.name === "gen_ai.client.operation.duration");
    const cost = metrics.find((m) => m.descriptor.name === "orchestrator_llm_cost_usd");
    expect(usage?.descriptor).toMatchObject({ type: "HISTOGRAM", unit: "{token}" });
    expect(duration?.descriptor).toMatchObject({ type: "HISTOGRAM", unit: "s" });
    expect(cost?.descriptor.unit).toBe("USD");
    type Histogram = { value: { buckets: { boundaries: number[] }; sum: number; count: number } };
    const points = (usage?.dataPoints ?? []) as unknown as (Histogram & {
      attributes: Record<string, unknown>;
    })[];
    expect(points[0]?.value.buckets.boundaries).toEqual([...GEN_AI_METRICS.tokenUsage.buckets]);
    expect(
      ((duration?.dataPoints ?? []) as unknown as Histogram[])[0]?.value.buckets.boundaries,
    ).toEqual([...GEN_AI_METRICS.duration.buckets]);
    expect(new Set(points.map((p) => p.attributes[GEN_AI.tokenType]))).toEqual(
      new Set(["input", "output"]),
    );
    for (const p of points)
      expect(p.attributes).toMatchObject({
        [GEN_AI.operation]: "chat",
        [GEN_AI.provider]: expect.any(String),
        [GEN_AI.requestModel]: expect.any(String),
      });
    // Every answered call's tokens are counted once per type.
    const outputs = points.filter((p) => p.attributes[GEN_AI.tokenType] === "output");
    expect(outputs.reduce((n, p) => n + p.value.count, 0)).toBe(calls.length);
  });

  it("a failed call has error.type, and a provider error body echoing the API key reaches no span", async () => {
    const key = `sk-ant-api03-${"Q".repeat(40)}`;
    const known = "a-known-secret-value-of-no-shape";
    const cassette = await demoCassette();
    const planner = cassette.calls.find((c) => c.role === "planner");
    if (!planner) throw new Error("no planner answer");
    planner.error = {
      kind: "auth",
      message: `401 {"type":"error","error":{"message":"invalid x-api-key: ${key} (${known})"}}`,
    };
    const r = recorders();
    const h = await harness(cassette);
    const host = await h.host({ tracer: r.tracer, meter: r.meter, secrets: [known] });
    const task = await demoTask();
    await host.engine.start(task);
    await host.engine.runMany([task.id], 1);
    const spans = r.exporter.getFinishedSpans();
    const failed = spans.filter(
      (s) => s.name.startsWith("chat ") && s.status.code === SpanStatusCode.ERROR,
    );
    expect(failed.length).toBeGreaterThan(0);
    for (const span of failed) {
      expect(span.attributes[GEN_AI.errorType]).toBe("auth");
      expect(span.status.message).toContain("[REDACTED]");
      expect(span.events.map((e) => e.name)).toContain("exception");
    }
    const exported = JSON.stringify(
      spans.map((s) => ({
        name: s.name,
        attributes: s.attributes,
        status: s.status,
        events: s.events,
        links: s.links,
      })),
    );
    expect(exported).toContain("invalid x-api-key");
    expect(exported).not.toContain(key);
    expect(exported).not.toContain(known);
    const duration = (await r.metrics()).find(
      (m) => m.descriptor.name === "gen_ai.client.operation.duration",
    );
    expect(
      (duration?.dataPoints ?? []).some((p) => p.attributes[GEN_AI.errorType] === "auth"),
    ).toBe(true);
  });
});
