import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../src/core/errors.ts";
import { CHAT, observe } from "../../../src/engine/calls/stages/observe.ts";
import { createInstruments } from "../../../src/engine/telemetry.ts";
import { silentLogger } from "../../fakes/harness.ts";
import { answer, clock, pendingCall, recordingNext, SONNET } from "../../fakes/pending-call.ts";

function recorders() {
  const spans = new InMemorySpanExporter();
  const tracer = new BasicTracerProvider({
    spanProcessors: [new SimpleSpanProcessor(spans)],
  }).getTracer("t");
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const meters = new MeterProvider({ readers: [reader] });
  return {
    spans,
    deps: {
      clock,
      logger: silentLogger,
      tracer,
      instruments: createInstruments(meters.getMeter("t")),
    },
    async metric(name: string) {
      await reader.forceFlush();
      const all = exporter.getMetrics().flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
      await meters.shutdown();
      return all.find((m) => m.descriptor.name === name)?.dataPoints ?? [];
    },
  };
}

describe("the trace and meter stage", () => {
  it("a `chat {model}` CLIENT span with the GenAI request and response attributes and ours", async () => {
    const r = recorders();
    await observe(r.deps, CHAT)(recordingNext(() => Promise.resolve(answer())))(pendingCall());
    const [span] = r.spans.getFinishedSpans();
    expect(span?.name).toBe("chat claude-sonnet-4-5");
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.attributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-sonnet-4-5",
      "gen_ai.request.max_tokens": 100,
      "gen_ai.response.model": "claude-sonnet-4-5",
      "gen_ai.response.finish_reasons": ["stop"],
      // Input includes the cached tokens: 1,000 + 200 read + 50 written.
      "gen_ai.usage.input_tokens": 1_250,
      "gen_ai.usage.output_tokens": 300,
      "gen_ai.usage.cache_read.input_tokens": 200,
      "gen_ai.usage.cache_creation.input_tokens": 50,
      "llm.role": "planner",
      "llm.model": SONNET,
      "llm.prompt": "planner@2",
      "llm.turn": 0,
      "llm.cost_usd": answer().record.costUsd,
      "llm.retries": 0,
    });
    const duration = await r.metric("gen_ai.client.operation.duration");
    expect(duration[0]?.attributes).toMatchObject({ "gen_ai.response.model": "claude-sonnet-4-5" });
    expect(duration[0]?.attributes).not.toHaveProperty("gen_ai.request.max_tokens");
  });

  it("names the model that answered after a fallback, and the ones left", async () => {
    const r = recorders();
    const fell = answer("openai/gpt-6.1-terra");
    const result = {
      ...fell,
      record: { ...fell.record, fallback: [{ model: SONNET, reason: "overloaded: 529" }] },
    };
    await observe(r.deps, CHAT)(recordingNext(() => Promise.resolve(result)))(
      pendingCall({ candidates: [SONNET, "openai/gpt-6.1-terra"] }),
    );
    const [span] = r.spans.getFinishedSpans();
    expect(span?.name).toBe("chat claude-sonnet-4-5");
    expect(span?.attributes).toMatchObject({
      "gen_ai.request.model": "gpt-6.1-terra",
      "gen_ai.provider.name": "openai",
      "llm.model": "openai/gpt-6.1-terra",
      "llm.fallback_from": [SONNET],
    });
  });

  it("a failure sets error.type to the provider's kind on the span and the duration metric", async () => {
    const r = recorders();
    const failing = recordingNext(() =>
      Promise.reject(
        new ProviderError({ provider: "anthropic", kind: "overloaded", message: "529" }),
      ),
    );
    await expect(observe(r.deps, CHAT)(failing)(pendingCall())).rejects.toBeInstanceOf(
      ProviderError,
    );
    const [span] = r.spans.getFinishedSpans();
    expect(span?.attributes["error.type"]).toBe("overloaded");
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    const duration = await r.metric("gen_ai.client.operation.duration");
    expect(duration[0]?.attributes).toMatchObject({ "error.type": "overloaded" });
    expect(await r.metric("orchestrator_llm_calls_total")).toEqual([]);
  });
});
