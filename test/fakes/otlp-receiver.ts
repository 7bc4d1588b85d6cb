/**
 * An OTLP/HTTP receiver on loopback, as a collector is: `POST /v1/traces` and `/v1/metrics`,
 * bodies in JSON (`application/json`) or protobuf (`application/x-protobuf`, the SDK's default),
 * decoded with OTLP's own schema (test/fixtures/otlp-proto/, read by protobufjs) into the JSON
 * mapping of the OTLP spec (ids as hex, 64-bit integers as strings). A body it cannot decode
 * fails the test that reads it. Source: opentelemetry.io, OTLP specification, "OTLP/HTTP".
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import protobuf from "protobufjs";

export interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
export interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
export interface OtlpSpan {
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number | string;
  attributes?: OtlpAttribute[];
  status?: { code?: number | string; message?: string };
  events?: { name: string; attributes?: OtlpAttribute[] }[];
}
export interface OtlpMetric {
  name: string;
  unit?: string;
  histogram?: {
    dataPoints?: {
      attributes?: OtlpAttribute[];
      explicitBounds?: number[];
      count?: string | number;
    }[];
  };
  sum?: { dataPoints?: { attributes?: OtlpAttribute[] }[] };
}
export interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpAttribute[] };
    scopeSpans?: { spans?: OtlpSpan[] }[];
  }[];
  resourceMetrics?: { scopeMetrics?: { metrics?: OtlpMetric[] }[] }[];
}

const ROOT = fileURLToPath(new URL("../fixtures/otlp-proto/", import.meta.url));
let schema: protobuf.Root | null = null;

function loadSchema(): protobuf.Root {
  if (schema) return schema;
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => `${ROOT}${target}`;
  root.loadSync([
    "opentelemetry/proto/collector/trace/v1/trace_service.proto",
    "opentelemetry/proto/collector/metrics/v1/metrics_service.proto",
  ]);
  schema = root;
  return root;
}

/** Hex for the id fields (the JSON mapping's rule), strings for 64-bit integers. */
function decodeProtobuf(path: string, body: Buffer): OtlpExport {
  const type = loadSchema().lookupType(
    path === "/v1/traces"
      ? "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest"
      : "opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest",
  );
  const message = type.decode(body);
  const object = type.toObject(message, {
    longs: String,
    enums: Number,
    bytes: Array,
    arrays: true,
  });
  const hex = (v: unknown): unknown =>
    Array.isArray(v) && v.every((b) => typeof b === "number") ? Buffer.from(v).toString("hex") : v;
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== "object" || v === null) return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [
        k,
        /^(traceId|spanId|parentSpanId)$/.test(k) ? hex(x) : walk(x),
      ]),
    );
  };
  return walk(object) as OtlpExport;
}

export interface OtlpReceiver {
  readonly endpoint: string;
  /** Every export received, decoded, by path, with the content type it came in. */
  readonly received: Map<string, { contentType: string; body: OtlpExport }[]>;
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received = new Map<string, { contentType: string; body: OtlpExport }[]>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "";
      const contentType = req.headers["content-type"] ?? "";
      const raw = Buffer.concat(chunks);
      try {
        if (req.method !== "POST" || !/^\/v1\/(traces|metrics|logs)$/.test(path))
          throw new Error(`OTLP/HTTP has no ${req.method ?? ""} ${path}`);
        const body = contentType.startsWith("application/x-protobuf")
          ? decodeProtobuf(path, raw)
          : contentType.startsWith("application/json")
            ? (JSON.parse(raw.toString("utf8")) as OtlpExport)
            : null;
        if (!body) throw new Error(`unsupported content type ${contentType}`);
        received.set(path, [...(received.get(path) ?? []), { contentType, body }]);
        // An empty ExportServiceResponse: success.
        res
          .writeHead(200, {
            "content-type": contentType.startsWith("application/json")
              ? "application/json"
              : "application/x-protobuf",
          })
          .end(contentType.startsWith("application/json") ? "{}" : Buffer.alloc(0));
      } catch (error) {
        received.set("errors", [
          ...(received.get("errors") ?? []),
          {
            contentType,
            body: { resourceSpans: [], resourceMetrics: [], error: String(error) } as OtlpExport,
          },
        ]);
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const value = (v: OtlpValue): unknown =>
  v.stringValue ??
  (v.intValue !== undefined ? Number(v.intValue) : undefined) ??
  v.doubleValue ??
  v.boolValue ??
  v.arrayValue?.values?.map(value);

export const attrs = (list: readonly OtlpAttribute[] = []): Record<string, unknown> =>
  Object.fromEntries(list.map((a) => [a.key, value(a.value)]));

export const spansOf = (exports: readonly OtlpExport[]): OtlpSpan[] =>
  exports.flatMap((e) =>
    (e.resourceSpans ?? []).flatMap((r) => (r.scopeSpans ?? []).flatMap((s) => s.spans ?? [])),
  );

export const metricsOf = (exports: readonly OtlpExport[]): OtlpMetric[] =>
  exports.flatMap((e) =>
    (e.resourceMetrics ?? []).flatMap((r) =>
      (r.scopeMetrics ?? []).flatMap((s) => s.metrics ?? []),
    ),
  );
