// Spans and metric points made through the guarded tracer and meter carry no secret, whichever
// method put the text there; parenting still works.
import { context, SpanStatusCode, trace } from "@opentelemetry/api";
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from "@opentelemetry/sdk-metrics";
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from "@opentelemetry/sdk-trace-base";
import { describe, expect, it } from "vitest";
import { guardMeter, guardTracer } from "../../src/engine/guard-telemetry.ts";

const KEY = `sk-ant-api03-${"s".repeat(40)}`;
const KNOWN = "plain-known-secret-1234";

describe("the guarded tracer and meter", () => {
  it("redacts names, attributes, arrays, events, links, exceptions and status messages", async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    const tracer = guardTracer(provider.getTracer("t"), [KNOWN]);
    await tracer.startActiveSpan(
      `outer ${KNOWN}`,
      { attributes: { "at.start": `Bearer ${KEY}` } },
      async (outer) => {
        outer.setAttribute("one", `body: ${KEY}`);
        outer.setAttributes({ many: [`a ${KNOWN}`, "b"], n: 3 });
        outer.addEvent("event", { detail: KEY });
        outer.recordException(new Error(`provider said ${KEY}`));
        outer.setStatus({ code: SpanStatusCode.ERROR, message: `failed: ${KNOWN}` });
        outer.updateName(`renamed ${KNOWN}`);
        const inner = tracer.startSpan("inner", {
          links: [{ context: outer.spanContext(), attributes: { why: KEY } }],
        });
        inner.addLink({ context: outer.spanContext(), attributes: { again: KNOWN } });
        inner.addLinks([{ context: outer.spanContext(), attributes: { more: KEY } }]);
        inner.end();
        await Promise.resolve();
        outer.end();
      },
    );
    const spans = exporter.getFinishedSpans();
    expect(spans.map((s) => s.name).sort()).toEqual(["inner", "renamed [REDACTED]"]);
    const outer = spans.find((s) => s.name.startsWith("renamed"));
    expect(outer?.attributes).toMatchObject({
      "at.start": "Bearer [REDACTED]",
      one: "body: [REDACTED]",
      many: ["a [REDACTED]", "b"],
      n: 3,
    });
    expect(outer?.events.map((e) => e.name)).toEqual(["event", "exception"]);
    // The child found the guarded span's real one as its parent.
    const inner = spans.find((s) => s.name === "inner");
    expect(inner?.parentSpanContext?.spanId).toBe(outer?.spanContext().spanId);
    const text = JSON.stringify(
      spans.map((s) => [s.name, s.attributes, s.events, s.links, s.status]),
    );
    expect(text).toContain("provider said [REDACTED]");
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KNOWN);
    expect(trace.getSpan(context.active())).toBeUndefined();
  });

  it("redacts metric attributes", async () => {
    const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
    const meters = new MeterProvider({ readers: [reader] });
    const meter = guardMeter(meters.getMeter("t"), [KNOWN]);
    meter.createCounter("c").add(1, { model: `x/${KNOWN}` });
    meter.createHistogram("h").record(2, { detail: KEY });
    await reader.forceFlush();
    const text = JSON.stringify(exporter.getMetrics());
    expect(text).toContain("[REDACTED]");
    expect(text).not.toContain(KEY);
    expect(text).not.toContain(KNOWN);
    await meters.shutdown();
  });
});
