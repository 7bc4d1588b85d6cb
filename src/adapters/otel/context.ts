import { context } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";

/**
 * Lets a span find its parent across `await`s, so the engine passes no span context around.
 * OpenTelemetry's registry is global: a second call in the same process changes nothing.
 */
export function enableSpanContext(): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}
