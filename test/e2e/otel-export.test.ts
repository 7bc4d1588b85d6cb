// OpenTelemetry as a team plugs it in: the standard OTEL_* variables, the SDK our hosts start,
// and a real OTLP/HTTP receiver on loopback (test/fakes/otlp-receiver.ts) that decodes what it
// gets: JSON, and protobuf (the SDK's default protocol) with OTLP's own schema.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { metrics as metricsApi, propagation, trace } from "@opentelemetry/api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTelemetry, telemetryWanted, type Telemetry } from "../../src/adapters/otel/sdk.ts";
import { GEN_AI_METRICS } from "../../src/engine/calls/gen-ai.ts";
import { createSampleRepo, DEMO_DIR } from "../../src/cli/sample-repo.ts";
import { cliEnvironment } from "../fakes/cli-env.ts";
import { appHarness } from "../fakes/app-harness.ts";
import { INSTALLATION_TOKEN } from "../fakes/fake-github.ts";
import {
  attrs,
  metricsOf,
  spansOf,
  startOtlpReceiver,
  type OtlpReceiver,
  type OtlpSpan,
} from "../fakes/otlp-receiver.ts";

const exec = promisify(execFile);
/** OTLP's `Span.SpanKind`: SPAN_KIND_CLIENT (opentelemetry/proto/trace/v1/trace.proto). */
const SPAN_KIND_CLIENT = 3;

let receiver: OtlpReceiver;
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

const bodies = (path: string) => (receiver.received.get(path) ?? []).map((r) => r.body);

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

  it("the App: one task's spans (event → task → steps → chat {model} with GenAI attributes) and metrics reach the collector as JSON, with no secret", async () => {
    const OTEL = {
      OTEL_EXPORTER_OTLP_PROTOCOL: "http/json",
      OTEL_LOGS_EXPORTER: "none",
      OTEL_EXPORTER_OTLP_HEADERS: "authorization=Bearer otlp-secret-123",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    };
    Object.assign(process.env, OTEL);
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
      for (const name of Object.keys(OTEL)) Reflect.deleteProperty(process.env, name);
      // Test files share a worker: the SDK's global providers go, the span context stays.
      trace.disable();
      metricsApi.disable();
      propagation.disable();
    }

    expect(receiver.received.get("errors")).toBeUndefined();
    const traces = bodies("/v1/traces");
    expect(traces.length).toBeGreaterThan(0);
    const resource = attrs(traces[0]?.resourceSpans?.[0]?.resource?.attributes);
    expect(resource).toMatchObject({
      "service.name": "orchestrator",
      "service.version": "9.9.9",
      "orchestrator.host": "app",
    });
    const spans = spansOf(traces);
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
    const calls = spans.filter((s) => s.name.startsWith("chat "));
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(new Set(calls.map((c) => chain(c).slice(0, 2).join(" > ")))).toEqual(
      new Set(["github.event > task.run"]),
    );
    expect(calls.some((c) => chain(c).includes("step.run"))).toBe(true);
    expect(spans.some((s) => s.name === "quality_gate.run")).toBe(true);
    const planner = calls.find((c) => attrs(c.attributes)["llm.role"] === "planner");
    expect(planner?.name).toBe("chat gemini-3.1-pro-preview");
    expect(planner?.kind).toBe(SPAN_KIND_CLIENT);
    expect(attrs(planner?.attributes)).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "gcp.gemini",
      "gen_ai.request.model": "gemini-3.1-pro-preview",
      "gen_ai.response.model": "gemini-3.1-pro-preview",
      "gen_ai.response.finish_reasons": ["stop"],
      "gen_ai.usage.input_tokens": 2140,
      "gen_ai.usage.output_tokens": 410,
    });

    const names = new Set(metricsOf(bodies("/v1/metrics")).map((m) => m.name));
    for (const name of [
      "orchestrator_llm_calls_total",
      "orchestrator_llm_cost_usd",
      "orchestrator_tasks_total",
      "gen_ai.client.token.usage",
      "gen_ai.client.operation.duration",
    ])
      expect(names).toContain(name);

    const everything = JSON.stringify([...receiver.received.values()]);
    for (const secret of [INSTALLATION_TOKEN, "otlp-secret-123", "PRIVATE KEY"])
      expect(everything).not.toContain(secret);
  });

  it("the CLI: `orchestrator run` with OTEL_EXPORTER_OTLP_ENDPOINT exports over the default protocol (protobuf), decoded with OTLP's schema", async () => {
    const repo = await createSampleRepo("cli-otel-");
    await writeFile(join(repo, "tasks.yaml"), await readFile(join(DEMO_DIR, "tasks.yaml"), "utf8"));
    const main = new URL("../../src/cli/main.ts", import.meta.url).pathname;
    const key = `sk-ant-api03-${"z".repeat(40)}`;
    await exec(
      process.execPath,
      [
        main,
        "run",
        "--working-dir",
        repo,
        "--provider",
        "replay",
        "--cassette",
        join(DEMO_DIR, "cassette.yaml"),
        "--json",
      ],
      {
        env: {
          ...cliEnvironment(),
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
          OTEL_LOGS_EXPORTER: "none",
          OTEL_SERVICE_NAME: "orchestrator-cli-test",
          // A key in the environment: it reaches nothing exported.
          ANTHROPIC_API_KEY: key,
        },
        timeout: 120_000,
      },
    );
    expect(receiver.received.get("errors")).toBeUndefined();
    const received = [...receiver.received.values()].flat();
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((r) => r.contentType.startsWith("application/x-protobuf"))).toBe(true);

    const traces = bodies("/v1/traces");
    expect(attrs(traces[0]?.resourceSpans?.[0]?.resource?.attributes)).toMatchObject({
      "service.name": "orchestrator-cli-test",
      "orchestrator.host": "cli",
    });
    const spans = spansOf(traces);
    expect(spans.some((s) => s.name === "orchestrator.run")).toBe(true);
    const calls = spans.filter((s) => s.name.startsWith("chat "));
    expect(calls.length).toBeGreaterThan(5);
    for (const call of calls) {
      expect(call.kind).toBe(SPAN_KIND_CLIENT);
      expect(attrs(call.attributes)).toMatchObject({
        "gen_ai.operation.name": "chat",
        "gen_ai.provider.name": expect.stringMatching(/^(gcp\.gemini|anthropic)$/),
        "gen_ai.request.model": call.name.slice("chat ".length),
        "gen_ai.usage.output_tokens": expect.any(Number),
      });
    }

    const metrics = metricsOf(bodies("/v1/metrics"));
    const usage = metrics.find((m) => m.name === "gen_ai.client.token.usage");
    expect(usage?.unit).toBe("{token}");
    const point = usage?.histogram?.dataPoints?.[0];
    expect(point?.explicitBounds).toEqual([...GEN_AI_METRICS.tokenUsage.buckets]);
    expect(attrs(point?.attributes)).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.token.type": expect.stringMatching(/^(input|output)$/),
    });
    expect(metrics.find((m) => m.name === "gen_ai.client.operation.duration")?.unit).toBe("s");
    expect(metrics.find((m) => m.name === "orchestrator_llm_cost_usd")?.unit).toBe("USD");
    expect(JSON.stringify(received)).not.toContain(key);
  });
});
