import { resourceFromAttributes } from "@opentelemetry/resources";
import { NodeSDK } from "@opentelemetry/sdk-node";
import type { Attributes } from "@opentelemetry/api";
import { enableSpanContext } from "./context.ts";
import { telemetryWanted } from "./wanted.ts";

export { telemetryWanted };

/** Started telemetry: `shutdown` flushes what is buffered and stops exporting. */
export interface Telemetry {
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry's Node SDK when the environment asks for it, configured by the standard
 * `OTEL_*` variables (exporters, protocol, headers, intervals, `OTEL_RESOURCE_ATTRIBUTES`,
 * `OTEL_SERVICE_NAME`); null otherwise, and only the span context manager is started. No instrumentation libraries:
 * the spans are ours (task, step, model call, gate) and each GitHub event's.
 */
export function startTelemetry(env: NodeJS.ProcessEnv, resource: Attributes): Telemetry | null {
  if (!telemetryWanted(env)) {
    // Without the SDK, spans still find their parents (the SDK brings its own context manager).
    enableSpanContext();
    return null;
  }
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ "service.name": "orchestrator", ...resource }),
    instrumentations: [],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
