import type { Tracer } from "@opentelemetry/api";
import { roundUsd, type CallRecord } from "../../core/cost/ledger.ts";
import type { ModelRegistry } from "../../core/models/registry.ts";
import type { Clock } from "../../ports/clock.ts";
import type { CodingAgent } from "../../ports/coding-agent.ts";
import type { ModelResponse } from "../../ports/language-model.ts";
import type { Logger } from "../../ports/logger.ts";
import type { StateStore } from "../../ports/state-store.ts";
import type { ModelResolver } from "../deps.ts";
import type { Instruments } from "../telemetry.ts";
import type { DayLimit } from "./day-spend.ts";
import type { RetrySettings } from "./retry.ts";
import type { ModelTraffic } from "./traffic.ts";
import {
  agentRun,
  agentRunMost,
  AgentJournalEntry,
  INVOKE_AGENT,
  type AgentAnswer,
  type AgentRequest,
} from "./stages/agent.ts";
import { budgets, modelCallMost } from "./stages/budgets.ts";
import { circuit } from "./stages/circuit.ts";
import { fallback } from "./stages/fallback.ts";
import { journal, JournalEntry, journaledCalls } from "./stages/journal.ts";
import { CHAT, observe } from "./stages/observe.ts";
import { provider } from "./stages/provider.ts";
import { rateLimit } from "./stages/rate-limit.ts";
import { retry } from "./stages/retry.ts";
import {
  pipeline,
  type CallRequest,
  type CallResult,
  type CallSite,
  type Invoke,
} from "./stages/stage.ts";

export type { CallRequest, CallResult, CallSite } from "./stages/stage.ts";
export type { AgentAnswer, AgentRequest } from "./stages/agent.ts";
export { maxCost } from "./stages/budgets.ts";

/** One turn of a call site: paid for at most once, whatever happens to the process. */
export type BoundCall = (turn: number, request: CallRequest) => Promise<CallResult>;

/** One run of a coding agent for a call site, as turn `turn` of its effect; paid for at most once. */
export type AgentCall = (turn: number, request: AgentRequest) => Promise<CallResult<AgentAnswer>>;

export interface ModelCaller {
  /** The calls of one effect. */
  at(site: CallSite): BoundCall;
  /** The agent runs of one effect (the site's model is an agent's, `claude-code/…`). */
  agentAt(site: CallSite): AgentCall;
  /** Every journaled call of an effect, in turn order (for an effect whose result was not saved). */
  journaled(task: string, effectKey: string): Promise<CallRecord[]>;
}

export interface ModelCallerDeps {
  readonly store: StateStore;
  readonly models: ModelResolver;
  /** Coding-agent CLIs by provider, behind the engine's boundary (none by default). */
  readonly agents?: ReadonlyMap<string, CodingAgent>;
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
 * The caller of every paid model, built once per engine: a call passes its line's stages in
 * order (each in its own file under `stages/`), then the provider. A journaled answer is
 * returned as it is; a new one is journaled before it is returned, so a crash after that point
 * never pays for it again.
 */
export function createModelCaller(deps: ModelCallerDeps): ModelCaller {
  const callModel = pipeline<CallRequest, ModelResponse>(
    [
      journal(deps, JournalEntry), // the answer already paid for, or the new one written down
      observe(deps, CHAT), // the `chat {model}` span, GenAI metrics, a log line
      fallback(deps), // the candidates in order, open circuits passed over
      budgets(deps, modelCallMost), // the most it can cost, held against the task's and the day's budgets
      retry(deps), // our one retry policy for transient failures
      rateLimit(deps), // the provider's and the model's token buckets
      circuit(deps), // each attempt's outcome to the model's circuit
    ],
    provider(deps),
  );
  // An agent CLI's run is one paid call too, with the same journal, telemetry and budgets. Not
  // the rest: the CLI calls its vendor itself, with its own retries and limits, so our retry,
  // buckets and circuits (and a fallback to a model that is not an agent) do not apply.
  const runAgent = pipeline<AgentRequest, AgentAnswer>(
    [
      journal(deps, AgentJournalEntry), // the run already paid for, its files a snapshot
      observe(deps, INVOKE_AGENT), // the `invoke_agent {agent}` span, GenAI metrics, a log line
      budgets(deps, agentRunMost), // what it may spend, held; the CLI is stopped past it
    ],
    agentRun({ ...deps, agents: deps.agents ?? new Map() }),
  );
  return {
    at: (site) => {
      // Once a model has answered in this effect, the effect's later turns stay with it.
      let answeredBy: string | undefined;
      return bind(
        site,
        callModel,
        () => (answeredBy ? [answeredBy] : [site.modelRef, ...(site.fallbacks ?? [])]),
        (record) => (answeredBy = record.model),
      );
    },
    agentAt: (site) => bind(site, runAgent, () => [site.modelRef]),
    journaled: (task, effectKey) => journaledCalls(deps.store, task, effectKey),
  };
}

/** A call site's turns through one line, counting what the effect spent so far. */
function bind<Req, Res>(
  site: CallSite,
  invoke: Invoke<Req, Res>,
  candidates: () => readonly string[],
  answered: (record: CallRecord) => void = () => undefined,
): (turn: number, request: Req) => Promise<CallResult<Res>> {
  let spentUsd = 0;
  return async (turn, request) => {
    const result = await invoke({
      site,
      turn,
      key: `${site.effectKey}#${turn}`,
      request,
      candidates: candidates(),
      spentUsd,
    });
    answered(result.record);
    spentUsd = roundUsd(spentUsd + result.record.costUsd);
    return result;
  };
}
