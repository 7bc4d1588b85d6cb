import type { Tracer } from "@opentelemetry/api";
import { roundUsd, type CallRecord } from "../../core/cost/ledger.ts";
import type { ModelRegistry } from "../../core/models/registry.ts";
import type { Clock } from "../../ports/clock.ts";
import type { Logger } from "../../ports/logger.ts";
import type { StateStore } from "../../ports/state-store.ts";
import type { ModelResolver } from "../deps.ts";
import type { Instruments } from "../telemetry.ts";
import type { DayLimit } from "./day-spend.ts";
import type { RetrySettings } from "./retry.ts";
import type { ModelTraffic } from "./traffic.ts";
import { budgets } from "./stages/budgets.ts";
import { circuit } from "./stages/circuit.ts";
import { fallback } from "./stages/fallback.ts";
import { journal, journaledCalls } from "./stages/journal.ts";
import { observe } from "./stages/observe.ts";
import { provider } from "./stages/provider.ts";
import { rateLimit } from "./stages/rate-limit.ts";
import { retry } from "./stages/retry.ts";
import { pipeline, type CallRequest, type CallResult, type CallSite } from "./stages/stage.ts";

export type { CallRequest, CallResult, CallSite } from "./stages/stage.ts";
export { maxCost } from "./stages/budgets.ts";

/** One turn of a call site: paid for at most once, whatever happens to the process. */
export type BoundCall = (turn: number, request: CallRequest) => Promise<CallResult>;

export interface ModelCaller {
  /** The calls of one effect. */
  at(site: CallSite): BoundCall;
  /** Every journaled call of an effect, in turn order (for an effect whose result was not saved). */
  journaled(task: string, effectKey: string): Promise<CallRecord[]>;
}

export interface ModelCallerDeps {
  readonly store: StateStore;
  readonly models: ModelResolver;
  readonly registry: ModelRegistry;
  readonly traffic: ModelTraffic;
  /** Day budgets this engine's calls count against. */
  readonly dayLimits: readonly DayLimit[];
  readonly clock: Clock;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly instruments: Instruments;
  readonly retry: RetrySettings;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

/**
 * The model caller, built once per engine: a call passes these stages in order (each in its
 * own file under `stages/`), then the provider. A journaled answer is returned as it is; a new
 * one is journaled before it is returned, so a crash after that point never calls the model
 * again.
 */
export function createModelCaller(deps: ModelCallerDeps): ModelCaller {
  const invoke = pipeline(
    [
      journal(deps), // the answer already paid for, or the new one written down
      observe(deps), // the `chat {model}` span, GenAI metrics, a log line
      fallback(deps), // the candidates in order, open circuits passed over
      budgets(deps), // the most it can cost, held against the task's and the day's budgets
      retry(deps), // our one retry policy for transient failures
      rateLimit(deps), // the provider's and the model's token buckets
      circuit(deps), // each attempt's outcome to the model's circuit
    ],
    provider(deps),
  );
  return {
    at: (site) => {
      // Once a model has answered in this effect, the effect's later turns stay with it.
      let answeredBy: string | undefined;
      let spentUsd = 0;
      return async (turn, request) => {
        const result = await invoke({
          site,
          turn,
          key: `${site.effectKey}#${turn}`,
          request,
          candidates: answeredBy ? [answeredBy] : [site.modelRef, ...(site.fallbacks ?? [])],
          spentUsd,
        });
        answeredBy = result.record.model;
        spentUsd = roundUsd(spentUsd + result.record.costUsd);
        return result;
      };
    },
    journaled: (task, effectKey) => journaledCalls(deps.store, task, effectKey),
  };
}
