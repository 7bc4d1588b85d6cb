import { z } from "zod";
import type { GitHub, RepoRef } from "../api/client.ts";
import { PullFile } from "../api/responses.ts";

/** Files of one pull request looked at; the rest are not counted. */
const MAX_FILES = 60;
/** Files per GraphQL request (two blames each). */
const BATCH = 10;

const Blame = z
  .object({
    blame: z.object({
      ranges: z.array(
        z.object({
          startingLine: z.number(),
          endingLine: z.number(),
          commit: z.object({ oid: z.string() }),
        }),
      ),
    }),
  })
  .nullable();

/**
 * The lines a merged pull request added that `git blame` attributes to the task (its own commits,
 * or the merge commit when it was squashed): at the merge commit (`lines`) and on the default
 * branch now (`surviving`). Each file is blamed twice, ten files per GraphQL request; a file gone
 * since counts as nothing surviving. A rebase merge rewrites the commits: nothing is attributed
 * then, and both counts are 0.
 */
export async function countTaskLines(
  github: GitHub,
  repo: RepoRef,
  o: {
    readonly pull: number;
    readonly mergeCommit: string;
    readonly commits: readonly string[];
    readonly defaultBranch: string;
  },
): Promise<{ lines: number; surviving: number }> {
  const files = z
    .array(PullFile)
    .parse(
      await github.paginate(github.rest.pulls.listFiles, {
        ...repo,
        pull_number: o.pull,
        per_page: 100,
      }),
    )
    .filter((f) => f.status !== "removed" && f.additions > 0)
    .slice(0, MAX_FILES)
    .map((f) => f.filename);
  const ours = new Set([...o.commits, o.mergeCommit]);
  const count = (blame: z.infer<typeof Blame>): number =>
    (blame?.blame.ranges ?? [])
      .filter((r) => ours.has(r.commit.oid))
      .reduce((n, r) => n + r.endingLine - r.startingLine + 1, 0);
  let lines = 0;
  let surviving = 0;
  for (let start = 0; start < files.length; start += BATCH) {
    const batch = files.slice(start, start + BATCH);
    const blame = "{ ranges { startingLine endingLine commit { oid } } }";
    const fields = batch
      .map(
        (_, i) =>
          `    m${String(i)}: object(oid: $merge) { ... on Commit { blame(path: $p${String(i)}) ${blame} } }\n` +
          `    n${String(i)}: object(expression: $head) { ... on Commit { blame(path: $p${String(i)}) ${blame} } }`,
      )
      .join("\n");
    const query = `query($owner: String!, $repo: String!, $merge: GitObjectID!, $head: String!${batch
      .map((_, i) => `, $p${String(i)}: String!`)
      .join("")}) {\n  repository(owner: $owner, name: $repo) {\n${fields}\n  }\n}`;
    const variables: Record<string, string> = {
      ...repo,
      merge: o.mergeCommit,
      head: o.defaultBranch,
    };
    for (const [i, file] of batch.entries()) variables[`p${String(i)}`] = file;
    const answer = z.object({ repository: z.record(z.string(), Blame) }).parse(
      await github.graphql(query, variables).catch((error: unknown) => {
        // A file removed since has no blame: GitHub answers the others with an error beside.
        const data = (error as { data?: unknown } | null)?.data;
        if (data) return data;
        throw error;
      }),
    );
    for (const i of batch.keys()) {
      lines += count(answer.repository[`m${String(i)}`] ?? null);
      surviving += count(answer.repository[`n${String(i)}`] ?? null);
    }
  }
  return { lines, surviving: Math.min(lines, surviving) };
}
