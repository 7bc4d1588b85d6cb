import { DEFAULT_PROTECTED_PATHS } from "../core/policy/paths.ts";
import { DEFAULT_RETRY } from "../engine/calls/retry.ts";
import type { EngineSettings } from "../engine/deps.ts";
import type { RepoConfig } from "./schema.ts";

type ConfigPart = Pick<
  RepoConfig,
  | "routing"
  | "limits"
  | "branch_prefix"
  | "protected_paths"
  | "protected_scripts"
  | "implementer"
  | "comments"
>;
type HostPart = Pick<EngineSettings, "owner" | "ownerAlive" | "leaseMs">;

/** The engine's settings from a repository's config (either host's) and what the host adds. */
export function engineSettings(
  config: ConfigPart,
  host: HostPart & {
    readonly protectedPaths?: readonly string[];
    /** npm scripts the host's gate runs. */
    readonly gateScripts?: readonly string[];
    /** Minutes a host whose CI answers later waits for it to start. */
    readonly gateStartMinutes?: number;
  },
): EngineSettings {
  return {
    routing: config.routing,
    limits: {
      planRevisions: config.limits.plan_revisions,
      stepReviewRounds: config.limits.step_review_rounds,
      gateAttempts: config.limits.gate_attempts,
      budgetUsd: config.limits.task_budget_usd > 0 ? config.limits.task_budget_usd : null,
      taskHours: config.limits.task_hours > 0 ? config.limits.task_hours : null,
      unplannedLines: config.limits.unplanned_lines,
      comments: config.comments,
      ...(host.gateStartMinutes === undefined ? {} : { gateStartMinutes: host.gateStartMinutes }),
    },
    branchPrefix: config.branch_prefix,
    protectedPaths: [
      ...DEFAULT_PROTECTED_PATHS,
      ...(host.protectedPaths ?? []),
      ...config.protected_paths,
    ],
    maxToolTurns: config.implementer.max_tool_turns,
    agentTimeoutMs: config.implementer.agent_minutes * 60_000,
    maxChangedFiles: config.implementer.max_changed_files,
    maxDeletedShare: config.limits.max_deleted_share,
    protectedScripts: [...config.protected_scripts, ...(host.gateScripts ?? [])],
    maxOutputTokens: config.implementer.max_output_tokens,
    owner: host.owner,
    ownerAlive: host.ownerAlive,
    leaseMs: host.leaseMs,
    retry: { ...DEFAULT_RETRY, maxWaitMs: config.limits.retry_wait_seconds * 1000 },
  };
}
