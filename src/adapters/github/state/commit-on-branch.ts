import { z } from "zod";
import type { GitHub, RepoRef } from "../api/client.ts";

const MUTATION = `mutation($input: CreateCommitOnBranchInput!) {
  createCommitOnBranch(input: $input) { commit { oid } }
}`;

const Answer = z.object({
  createCommitOnBranch: z.object({ commit: z.object({ oid: z.string() }) }),
});

/**
 * Commits files to an existing branch in one call, only if the branch still points at
 * `expectedHead`. Returns the new commit, or null when the branch moved (GitHub's `STALE_DATA`:
 * "Expected branch to point to … but it did not").
 */
export async function commitOnBranch(
  github: GitHub,
  options: {
    readonly repo: RepoRef;
    readonly branch: string;
    readonly expectedHead: string;
    readonly headline: string;
    readonly files: readonly { readonly path: string; readonly content: string }[];
    readonly deletions?: readonly string[];
  },
): Promise<string | null> {
  try {
    const answer = Answer.parse(
      await github.graphql(MUTATION, {
        input: {
          branch: {
            repositoryNameWithOwner: `${options.repo.owner}/${options.repo.repo}`,
            branchName: options.branch,
          },
          expectedHeadOid: options.expectedHead,
          message: { headline: options.headline },
          fileChanges: {
            additions: options.files.map((f) => ({
              path: f.path,
              contents: Buffer.from(f.content, "utf8").toString("base64"),
            })),
            deletions: (options.deletions ?? []).map((path) => ({ path })),
          },
        },
      }),
    );
    return answer.createCommitOnBranch.commit.oid;
  } catch (error) {
    if (isStaleHead(error)) return null;
    throw error;
  }
}

function isStaleHead(error: unknown): boolean {
  const errors = (error as { errors?: unknown } | null)?.errors;
  return (
    Array.isArray(errors) &&
    errors.some((e) => (e as { type?: unknown } | null)?.type === "STALE_DATA")
  );
}
