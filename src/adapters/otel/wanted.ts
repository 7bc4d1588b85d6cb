/** The variables that ask for telemetry. */
const ASKING = [
  "OTEL_EXPORTER_OTLP_ENDPOINT",
  "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT",
  "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT",
  "OTEL_TRACES_EXPORTER",
  "OTEL_METRICS_EXPORTER",
];

/**
 * Whether the environment asks for telemetry (and has not turned the SDK off). Apart from the
 * SDK's start so that a host can ask without loading the SDK.
 */
export function telemetryWanted(env: NodeJS.ProcessEnv): boolean {
  return env["OTEL_SDK_DISABLED"] !== "true" && ASKING.some((name) => Boolean(env[name]));
}
