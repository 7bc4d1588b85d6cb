import type { GitHub, RepoRef } from "../adapters/github/api/client.ts";
import type { AppRepoConfig } from "../config/app-config.ts";

/** One repository as the sweep looks at it: its client, name, default branch and config. */
export interface RepoSweep {
  readonly github: GitHub;
  readonly repo: RepoRef;
  readonly defaultBranch: string;
  readonly config: AppRepoConfig;
}
