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
  }): Promise<{ readonly ref: string }>;
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
