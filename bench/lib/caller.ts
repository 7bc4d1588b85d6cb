import { metrics, trace } from "@opentelemetry/api";
import { modelRegistry } from "../../src/config/models.ts";
import { createModelCaller, type ModelCaller } from "../../src/engine/calls/model-caller.ts";
import { DEFAULT_RETRY } from "../../src/engine/calls/retry.ts";
import { createTraffic, type ModelTraffic } from "../../src/engine/calls/traffic.ts";
import type { DayLimit } from "../../src/engine/calls/day-spend.ts";
import { createInstruments } from "../../src/engine/telemetry.ts";
import type { LanguageModel } from "../../src/ports/language-model.ts";
import { silentLogger } from "../../test/fakes/harness.ts";
import { MemoryStore } from "../../test/fakes/memory-store.ts";
export { seeded } from "../../test/fakes/random.ts";

/** The engine's model caller over one client, with a virtual clock that sleeping advances. */
export function benchCaller(options: {
  readonly client: LanguageModel;
  readonly random: () => number;
  readonly dayLimits?: readonly DayLimit[];
}): { caller: ModelCaller; store: MemoryStore; traffic: ModelTraffic; waitedMs: () => number } {
  let now = Date.parse("2026-11-23T08:00:00Z");
  let waited = 0;
  const clock = { now: () => now };
  const store = new MemoryStore();
  const traffic = createTraffic({ now: clock.now });
  const caller = createModelCaller({
    store,
    models: (ref) => ({ client: options.client, model: ref.slice(ref.indexOf("/") + 1) }),
    registry: modelRegistry(),
    traffic,
    dayLimits: options.dayLimits ?? [],
    clock,
    logger: silentLogger,
    tracer: trace.getTracer("bench"),
    instruments: createInstruments(metrics.getMeter("bench")),
    retry: DEFAULT_RETRY,
    sleep: (ms) => {
      now += ms;
      waited += ms;
      return Promise.resolve();
    },
    random: options.random,
  });
  return { caller, store, traffic, waitedMs: () => waited };
}

/** One of `items`, drawn with `random`. */
export function pick<T>(items: readonly T[], random: () => number): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("nothing to pick from");
  return item;
}

/** A value that must be there (a bench's own table lookups). */
export function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`missing ${what}`);
  return value;
}
