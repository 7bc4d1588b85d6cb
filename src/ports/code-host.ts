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
  /** Reports one pushed commit as a completed check named `orchestrator`, once per key. */
  reportCheck(options: {
    readonly task: string;
    readonly key: string;
    readonly commit: string;
    readonly title: string;
    readonly summary: string;
    /** Never tried before: there is no earlier result to look for. */
    readonly firstAttempt?: boolean;
  }): Promise<void>;
}
