/** Where the work is offered for human review: a pull request and a check per pushed commit. */
export interface CodeHost {
  /** Creates the task's pull request, or updates its title, body and draft state. */
  ensurePullRequest(options: {
    readonly task: string;
    readonly branch: string;
    readonly title: string;
    readonly body: string;
    readonly draft: boolean;
    /** Never tried before: there is no earlier result to look for. */
    readonly firstAttempt?: boolean;
    /** What an earlier call returned: the pull request is known, no lookup is needed. */
    readonly known?: string;
    /** Read the pull request back from the host afterwards (hosts without one may not). */
    readonly verify?: boolean;
  }): Promise<{
    readonly ref: string;
    /** What the host shows now, when asked to verify. */
    readonly readBack?: { readonly head: string; readonly open: boolean; readonly draft: boolean };
  }>;
  /** Posts our code reviewer's verdict on a commit as one review of the pull request, once per key. */
  postReview?(options: {
    readonly task: string;
    readonly key: string;
    /** The pull request, as `ensurePullRequest` returned it. */
    readonly known: string;
    /** The task's branch: a known pull request whose head is not this branch is not used. */
    readonly branch: string;
    readonly commit: string;
    readonly body: string;
    /** Findings on lines the commit's diff holds, posted in the same review. */
    readonly comments: readonly ReviewLineComment[];
    readonly firstAttempt?: boolean;
  }): Promise<void>;
  /**
   * Replies in the thread of each of a person's review comments with the text given (once per
   * key and comment) and marks those threads resolved.
   */
  answerReview?(options: {
    readonly task: string;
    readonly key: string;
    readonly known: string;
    readonly branch: string;
    readonly comments: readonly number[];
    readonly body: string;
    readonly firstAttempt?: boolean;
  }): Promise<void>;
  /** Reports one pushed commit as a completed check named `orchestrator`, once per key. */
  reportCheck(options: {
    readonly task: string;
    readonly key: string;
    readonly commit: string;
    readonly title: string;
    readonly summary: string;
    /** Our code reviewer's verdict on the commit: approved, changes asked for, rejected. */
    readonly conclusion: "success" | "neutral" | "failure";
    /** Never tried before: there is no earlier result to look for. */
    readonly firstAttempt?: boolean;
  }): Promise<void>;
}

/** A finding on one line of a pull request's diff (the new side). */
export interface ReviewLineComment {
  readonly path: string;
  readonly line: number;
  readonly body: string;
}
