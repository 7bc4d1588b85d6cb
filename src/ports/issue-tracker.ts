/** Where people follow a task and answer it: issue comments on GitHub, files and the terminal locally. */
export interface IssueTracker {
  /** Creates the comment with this key, or updates it if one already exists. Returns its reference. */
  ensureComment(options: {
    readonly task: string;
    readonly key: string;
    readonly topic: "plan" | "plan_review" | "escalation" | "summary";
    readonly body: string;
  }): Promise<{ readonly ref: string }>;
  /** Replaces the task's one status summary; `state` is the task state it describes. */
  updateStatus(options: {
    readonly task: string;
    readonly body: string;
    readonly state?: string;
  }): Promise<void>;
}
