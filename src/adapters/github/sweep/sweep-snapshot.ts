import { z } from "zod";
import { MAX_CONFIG_CHARS } from "../../../config/parse.ts";
import type { GitHub, RepoRef } from "../api/client.ts";
import { CONFIG_PATH } from "../repository/repo-config.ts";

/** What the sweep needs to know of one repository before deciding whether to look closer. */
export interface RepositorySnapshot {
  /** The config file's text; null when there is none; undefined when GraphQL could not give it (too large). */
  readonly configText: string | null | undefined;
  /** The state branch that was looked at. */
  readonly stateBranch: string;
  readonly stateExists: boolean;
  /** Names in the state branch's `open/` folder; null when there is no such folder. */
  readonly open: readonly string[] | null;
  /** Merged tasks whose lines are to be counted again, with when (`later/`). */
  readonly later: ReadonlyMap<string, string>;
}

const LaterEntries = z.array(
  z.object({ name: z.string(), object: z.object({ text: z.string().nullable() }).nullable() }),
);

/** Due dates by task, from `later/` entries (a marker that is not a date is skipped). */
function dueDates(entries: z.infer<typeof LaterEntries>): Map<string, string> {
  const due = new Map<string, string>();
  for (const e of entries) {
    const text = e.object?.text?.trim() ?? "";
    if (!Number.isNaN(Date.parse(text))) due.set(e.name, text);
  }
  return due;
}

const Answer = z.record(
  z.string(),
  z
    .object({
      config: z
        .object({ text: z.string().nullable(), isTruncated: z.boolean(), byteSize: z.number() })
        .partial()
        .nullable(),
      state: z.object({ target: z.object({ oid: z.string() }) }).nullable(),
      open: z.object({ entries: z.array(z.object({ name: z.string() })).optional() }).nullable(),
      later: z.object({ entries: LaterEntries.optional() }).nullable(),
    })
    .nullable(),
);

/** Repositories per request: one GraphQL request costs one point however many it asks about. */
export const SNAPSHOT_BATCH = 25;

/**
 * For each repository, its config file's text (`defaultBranch` may be `HEAD`), whether its state
 * branch exists and what that branch's `open/` and `later/` folders hold, in one GraphQL request
 * per `SNAPSHOT_BATCH` repositories.
 * Keyed by `owner/name`; a repository GitHub does not answer for is left out.
 */
export async function readRepositories(
  github: GitHub,
  repos: readonly { readonly repo: RepoRef; readonly defaultBranch: string }[],
  stateBranch: string,
): Promise<Map<string, RepositorySnapshot>> {
  const found = new Map<string, RepositorySnapshot>();
  for (let start = 0; start < repos.length; start += SNAPSHOT_BATCH) {
    const batch = repos.slice(start, start + SNAPSHOT_BATCH);
    const declarations = batch
      .map((_, i) => `$o${String(i)}: String!, $n${String(i)}: String!, $c${String(i)}: String!`)
      .join(", ");
    const fields = batch
      .map(
        (_, i) => `  r${String(i)}: repository(owner: $o${String(i)}, name: $n${String(i)}) {
    config: object(expression: $c${String(i)}) { ... on Blob { text isTruncated byteSize } }
    state: ref(qualifiedName: $state) { target { oid } }
    open: object(expression: $open) { ... on Tree { entries { name } } }
    later: object(expression: $later) { ... on Tree { entries { name object { ... on Blob { text } } } } }
  }`,
      )
      .join("\n");
    const variables: Record<string, string> = {
      state: `refs/heads/${stateBranch}`,
      open: `${stateBranch}:open`,
      later: `${stateBranch}:later`,
    };
    for (const [i, r] of batch.entries()) {
      variables[`o${String(i)}`] = r.repo.owner;
      variables[`n${String(i)}`] = r.repo.repo;
      variables[`c${String(i)}`] = `${r.defaultBranch}:${CONFIG_PATH}`;
    }
    const answer = Answer.parse(
      await github.graphql(
        `query sweepSnapshot($state: String!, $open: String!, $later: String!, ${declarations}) {\n${fields}\n}`,
        variables,
      ),
    );
    for (const [i, r] of batch.entries()) {
      const one = answer[`r${String(i)}`];
      if (!one) continue;
      const config = one.config;
      const whole =
        config && config.isTruncated !== true && (config.byteSize ?? 0) <= MAX_CONFIG_CHARS;
      found.set(`${r.repo.owner}/${r.repo.repo}`, {
        configText: config === null ? null : whole ? (config.text ?? null) : undefined,
        stateBranch,
        stateExists: one.state !== null,
        open: one.open?.entries?.map((e) => e.name) ?? null,
        later: dueDates(one.later?.entries ?? []),
      });
    }
  }
  return found;
}
