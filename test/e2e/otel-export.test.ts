// OpenTelemetry as a team plugs it in: the standard OTEL_* variables, the SDK our hosts start,
// and a real OTLP/HTTP receiver on loopback that gets one task's spans and metrics.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { metrics as metricsApi, propagation, trace } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTelemetry, telemetryWanted, type Telemetry } from "../../src/adapters/otel/sdk.ts";
import { appHarness } from "../fakes/app-harness.ts";
import { INSTALLATION_TOKEN } from "../fakes/fake-github.ts";

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values: OtlpValue[] };
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes: OtlpAttribute[];
}
interface Export {
  resourceSpans?: {
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: { spans: OtlpSpan[] }[];
  }[];
  resourceMetrics?: { scopeMetrics: { metrics: { name: string }[] }[] }[];
}

const received = new Map<string, string[]>();
let receiver: Server;
const OTEL = {
  OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
  OTEL_LOGS_EXPORTER: "none",
  OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer otlp-secret-123",
};

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      received.set(path, [...(received.get(path) ?? []), Buffer.concat(chunks).toString("utf8")]);
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
});
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve));
});

const value = (v: OtlpValue): unknown =>
  v.stringValue ??
  (v.intValue !== undefined ? Number(v.intValue) : undefined) ??
  v.doubleValue ??
  v.boolValue ??
  v.arrayValue?.values.map(value);
const attrs = (list: OtlpAttribute[]): Record<string, unknown> =>
  Object.fromEntries(list.map((a) => [a.key, value(a.value)]));

describe("OpenTelemetry export over OTLP/HTTP", () => {
  it("starts nothing unless the environment asks", () => {
    expect(telemetryWanted({})).toBe(false);
    expect(telemetryWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" })).toBe(true);
    expect(telemetryWanted({ OTEL_TRACES_EXPORTER: "console" })).toBe(true);
    expect(
      telemetryWanted({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://c:4318", OTEL_SDK_DISABLED: "true" }),
    ).toBe(false);
    expect(startTelemetry({}, {})).toBeNull();
  });

  it("one task's spans (event → task → steps → model calls, with GenAI attributes) and metrics reach the collector, with no secret", async () => {
    const endpoint = `http://127.0.0.1:${String((receiver.address() as AddressInfo).port)}`;
    Object.assign(process.env, OTEL, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
    // Started before the app is made, as the hosts do: a meter taken earlier would be a no-op.
    const telemetry: Telemetry | null = startTelemetry(process.env, {
      "service.version": "9.9.9",
      "orchestrator.host": "app",
    });
    expect(telemetry).not.toBeNull();
    const h = await appHarness();
    try {
      await h.deliver("issues", h.labeled());
      const head = await h.head("orchestrator/issue-42-add-a-truncate-helper");
      h.github.completeCheck({ sha: head ?? "", conclusion: "success" });
      await h.deliver(
        "check_suite",
        h.checkSuite(head ?? "", "orchestrator/issue-42-add-a-truncate-helper"),
      );
      // Shutting down flushes: nothing is lost when the process ends.
      await telemetry?.shutdown();
    } finally {
      h.stop();
      for (const name of [...Object.keys(OTEL), "OTEL_EXPORTER_OTLP_ENDPOINT"])
        Reflect.deleteProperty(process.env, name);
      // Test files share a worker: the SDK's global providers go, the span context stays.
      trace.disable();
      metricsApi.disable();
      propagation.disable();
    }

    const traces = (received.get("/v1/traces") ?? []).map((b) => JSON.parse(b) as Export);
    const metrics = (received.get("/v1/metrics") ?? []).map((b) => JSON.parse(b) as Export);
    expect(traces.length).toBeGreaterThan(0);
    const resource = attrs(traces[0]?.resourceSpans?.[0]?.resource.attributes ?? []);
    expect(resource).toMatchObject({
      "service.name": "orchestrator",
      "service.version": "9.9.9",
      "orchestrator.host": "app",
    });
    const spans = traces.flatMap((t) =>
      (t.resourceSpans ?? []).flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)),
    );
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const chain = (s: OtlpSpan): string[] => {
      const parent = s.parentSpanId ? byId.get(s.parentSpanId) : undefined;
      return parent ? [...chain(parent), s.name] : [s.name];
    };
    const events = spans.filter((s) => s.name === "github.event");
    expect(events.map((s) => attrs(s.attributes))).toContainEqual({
      "github.event": "issues.labeled",
      "github.repository": "octo-org/textkit",
      "github.installation.id": 1,
    });
    const calls = spans.filter((s) => s.name === "llm.call");
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(new Set(calls.map((c) => chain(c).slice(0, 2).join(" > ")))).toEqual(
      new Set(["github.event > task.run"]),
    );
    expect(calls.some((c) => chain(c).includes("step.run"))).toBe(true);
    expect(spans.some((s) => s.name === "quality_gate.run")).toBe(true);
    const planner = calls.find((c) => attrs(c.attributes)["llm.role"] === "planner");
    expect(attrs(planner?.attributes ?? [])).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.system": "google",
      "gen_ai.request.model": "gemini-3.1-pro-preview",
      "gen_ai.response.model": "gemini-3.1-pro-preview",
      "gen_ai.response.finish_reasons": ["stop"],
    });
    expect(attrs(planner?.attributes ?? [])["gen_ai.usage.output_tokens"]).toBeGreaterThan(0);

    const names = new Set(
      metrics.flatMap((m) =>
        (m.resourceMetrics ?? []).flatMap((r) =>
          r.scopeMetrics.flatMap((s) => s.metrics.map((x) => x.name)),
        ),
      ),
    );
    for (const name of [
      "orchestrator_llm_calls_total",
      "orchestrator_llm_cost_usd",
      "orchestrator_tasks_total",
    ])
      expect(names).toContain(name);

    const everything = [...received.values()].flat().join("\n");
    for (const secret of [INSTALLATION_TOKEN, "otlp-secret-123", "PRIVATE KEY"])
      expect(everything).not.toContain(secret);
  });
});
