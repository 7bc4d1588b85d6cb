import type { ProbotOctokit } from "probot";

/** The authenticated GitHub client of one installation. */
export type GitHub = ProbotOctokit;

/** One repository of one installation. */
export interface RepoRef {
  readonly owner: string;
  readonly repo: string;
}

/** The HTTP status of an Octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}
