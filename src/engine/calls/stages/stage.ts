import type { CallRecord } from "../../../core/cost/ledger.ts";
import type { Role } from "../../../core/vocabulary/roles.ts";
import type { Effort } from "../../../core/vocabulary/effort.ts";
import type { ModelRequest, ModelResponse } from "../../../ports/language-model.ts";
import type { Logger } from "../../../ports/logger.ts";

/** Where a call is made from: everything that names it, given once per effect. */
export interface CallSite {
  readonly task: string;
  /** Key of the effect the call belongs to. */
  readonly effectKey: string;
  readonly role: Role;
  /** The routed model, `provider/model`. */
  readonly modelRef: string;
  /** Models to try in order when the routed one fails before it has answered in this effect. */
  readonly fallbacks?: readonly string[];
  /** Dollars the task may still spend (null: no task budget). */
  readonly budgetLeftUsd?: number | null;
  readonly step: string | null;
  readonly attempt: number;
  /** `id@version` of the prompt. */
  readonly prompt: string;
  /**
   * The effort routing wants for this call (`core/routing/effort.ts`); each model tried gets the
   * nearest level it takes, or none.
   */
  readonly effort?: Effort;
}

export type CallRequest = Omit<ModelRequest, "model" | "tag">;

/** An answer and its ledger record. A model call's answer is a `ModelResponse`; an agent run's, `AgentAnswer`. */
export interface CallResult<Res = ModelResponse> {
  readonly response: Res;
  readonly record: CallRecord;
}

/** One paid call on its way through the stages: a model turn (`CallRequest`) or an agent run. */
export interface PendingCall<Req = CallRequest> {
  readonly site: CallSite;
  readonly turn: number;
  /** The journal's key: `<effect key>#<turn>`. */
  readonly key: string;
  readonly request: Req;
  /** Models that may answer, in order; one once a model has answered in this effect. */
  readonly candidates: readonly string[];
  /** Dollars this effect's earlier turns cost. */
  readonly spentUsd: number;
  /** The model being tried (set by the fallback stage). */
  readonly model?: string;
  /** The most the call may cost, as the budgets stage held it (an agent is stopped past it). */
  readonly maxUsd?: number;
}

/** The rest of the pipeline, as a stage sees it. */
export type Invoke<Req = CallRequest, Res = ModelResponse> = (
  call: PendingCall<Req>,
) => Promise<CallResult<Res>>;

/**
 * A stage wraps the rest of the pipeline: it may look at the call, change it, answer it itself,
 * or pass it on and look at (or settle for) the result.
 */
export type Stage<Req = CallRequest, Res = ModelResponse> = (
  next: Invoke<Req, Res>,
) => Invoke<Req, Res>;

/**
 * The stages around the end of the line, in the order a call meets them: the first is the
 * outermost and the last wraps `end` directly (as `wrapLanguageModel` orders its middleware).
 */
export function pipeline<Req, Res>(
  stages: readonly Stage<Req, Res>[],
  end: Invoke<Req, Res>,
): Invoke<Req, Res> {
  return stages.reduceRight<Invoke<Req, Res>>((next, stage) => stage(next), end);
}

/** The model a stage acts for: the one being tried, or the routed one before fallback chose. */
export const modelOf = (call: PendingCall<unknown>): string => call.model ?? call.site.modelRef;

/** A logger naming the call: task, step, role, model and attempt. */
export function callLogger(
  logger: Logger,
  call: PendingCall<unknown>,
  model: string | undefined,
): Logger {
  return logger.child({
    task: call.site.task,
    step: call.site.step,
    role: call.site.role,
    model: model ?? call.site.modelRef,
    attempt: call.site.attempt,
  });
}
