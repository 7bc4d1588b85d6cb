/**
 * Errors grouped by who must act: the user (bad input or config), the model (an answer we
 * cannot use), or the system (providers, storage, git). Each carries whether a retry can help.
 */
export type Fault = "user" | "model" | "system";

export abstract class OrchestratorError extends Error {
  abstract readonly fault: Fault;
  abstract readonly retryable: boolean;
}

/** One problem in a file or document, with where it is. */
export interface Problem {
  /** Dotted path to the offending value, e.g. `tasks.0.risk`. */
  readonly path: string;
  /** What is wrong, for a person. */
  readonly message: string;
  /** 1-based line in the source file, when the parser knows it. */
  readonly line?: number;
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems
    .map(
      (p) =>
        `  - ${p.path || "(root)"}${p.line === undefined ? "" : ` (line ${p.line})`}: ${p.message}`,
    )
    .join("\n");
}

/** Input a person wrote (tasks file, config, command) is invalid. Nothing was started. */
export class InvalidInputError extends OrchestratorError {
  override readonly name = "InvalidInputError";
  readonly fault = "user";
  readonly retryable = false;
  readonly source: string;
  readonly problems: readonly Problem[];

  constructor(source: string, problems: readonly Problem[]) {
    super(`${source} is invalid:\n${formatProblems(problems)}`);
    this.source = source;
    this.problems = problems;
  }
}

/** A model answer that cannot be used: refused, truncated, or not matching the schema. */
export class ModelOutputError extends OrchestratorError {
  override readonly name = "ModelOutputError";
  readonly fault = "model";
  readonly retryable = false;
  readonly kind: "refusal" | "truncated" | "invalid" | "tool_limit";

  constructor(kind: ModelOutputError["kind"], message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }
}

/**
 * What went wrong with a provider call. The first five are transient and retried; the rest
 * cannot succeed by sending the same request again.
 */
export type ProviderErrorKind =
  | "rate_limit"
  | "overloaded"
  | "server"
  | "network"
  | "timeout"
  /** 401/403: a wrong, revoked or under-privileged key. */
  | "auth"
  /** No money left: spend cap, insufficient quota, billing. */
  | "quota"
  /** A per-day quota is used up; it will not come back within a call's wait. */
  | "quota_day"
  | "invalid_request"
  /** The prompt does not fit the model's window. */
  | "context_length"
  | "not_found";

const TRANSIENT: ReadonlySet<ProviderErrorKind> = new Set([
  "rate_limit",
  "overloaded",
  "server",
  "network",
  "timeout",
]);

/** One retried attempt: what failed and how long we waited before the next. */
export interface RetryNote {
  readonly kind: ProviderErrorKind;
  readonly waitMs: number;
}

/** A provider call failed. Only transient kinds are retryable. */
export class ProviderError extends OrchestratorError {
  override readonly name = "ProviderError";
  readonly fault = "system";
  readonly kind: ProviderErrorKind;
  readonly retryable: boolean;
  /** What the provider asked us to wait (retry-after, retry-after-ms, RetryInfo.retryDelay). */
  readonly retryAfterMs: number | undefined;
  readonly provider: string;
  readonly status: number | undefined;
  /** Attempts retried before this error was given up on. */
  readonly retries: readonly RetryNote[];

  constructor(options: {
    provider: string;
    kind: ProviderErrorKind;
    message: string;
    status?: number | undefined;
    retryAfterMs?: number | undefined;
    retries?: readonly RetryNote[];
    cause?: unknown;
  }) {
    super(`${options.provider}: ${options.message}`, { cause: options.cause });
    this.provider = options.provider;
    this.kind = options.kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
    this.retryable = TRANSIENT.has(options.kind);
    this.retries = options.retries ?? [];
  }

  /** The same error, with the retries that preceded it. */
  withRetries(retries: readonly RetryNote[]): ProviderError {
    return new ProviderError({
      provider: this.provider,
      kind: this.kind,
      message: this.message.slice(this.provider.length + 2),
      status: this.status,
      retryAfterMs: this.retryAfterMs,
      retries,
      cause: this.cause,
    });
  }
}

/**
 * A call was not made because it could cost more than a hard budget has left. Nothing was
 * paid; the task stops with its work saved until a person raises the budget.
 */
export class BudgetExceededError extends OrchestratorError {
  override readonly name = "BudgetExceededError";
  readonly fault = "user";
  readonly retryable = false;
  /** Which budget: the task's, the repository's today, the installation's today. */
  readonly scope: "task" | "repository" | "installation";

  constructor(scope: BudgetExceededError["scope"], message: string) {
    super(message);
    this.scope = scope;
  }
}

/** No model may make a call: none is priced, configured, or allowed by the cross-review rule. */
export class NoEligibleModelError extends OrchestratorError {
  override readonly name = "NoEligibleModelError";
  readonly fault = "user";
  readonly retryable = false;
}

/** Someone else saved the document since we loaded it. Reload, re-apply, retry. */
export class StateConflictError extends OrchestratorError {
  override readonly name = "StateConflictError";
  readonly fault = "system";
  readonly retryable = true;
  readonly taskId: string;

  constructor(taskId: string, expected: number | null, actual: number | null) {
    super(
      `task ${taskId} was saved by someone else (expected version ${expected}, found ${actual})`,
    );
    this.taskId = taskId;
  }
}

/** A stored document failed its checksum or schema. It is kept untouched for a person. */
export class CorruptStateError extends OrchestratorError {
  override readonly name = "CorruptStateError";
  readonly fault = "system";
  readonly retryable = false;
  readonly file: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`state file ${file} is corrupt (${reason}); it was left as it is`, options);
    this.file = file;
  }
}

/** Another worker holds the task's lease. */
export class LeaseHeldError extends OrchestratorError {
  override readonly name = "LeaseHeldError";
  readonly fault = "system";
  readonly retryable = true;

  constructor(taskId: string, owner: string, until: string) {
    super(`task ${taskId} is being run by ${owner} until ${until}`);
  }
}

/** A tool call from the implementer that we refuse (path outside the tree, protected file…). */
export class ToolRefusedError extends OrchestratorError {
  override readonly name = "ToolRefusedError";
  readonly fault = "model";
  readonly retryable = false;
}

/**
 * The task's work tree or its remote failed: a clone, push or commit did not happen, or the
 * clone is not in a state we can trust. The task stops for a person rather than retry blindly.
 */
export class WorkspaceError extends OrchestratorError {
  override readonly name: string = "WorkspaceError";
  readonly fault = "system";
  readonly retryable: boolean;

  constructor(message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.retryable = options.retryable ?? false;
  }
}

/** Why a file could not be read, in words a user reads (not `ENOENT: no such file…, open …`). */
export function readFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ENOENT") return "no such file";
  if (code === "EISDIR") return "it is a folder";
  if (code === "EACCES") return "permission denied";
  return error instanceof Error ? error.message : String(error);
}
