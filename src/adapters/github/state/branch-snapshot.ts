import { z } from "zod";
import type { GitHub, RepoRef } from "../api/client.ts";

const Blob = z.object({ text: z.string().nullable(), isTruncated: z.boolean() }).partial();
const Entry = z.object({ oid: z.string(), object: Blob.nullable() }).nullable();

/** A branch head and some of its files, read at that exact commit. */
export interface BranchSnapshot {
  readonly head: string;
  /** Each asked path: its blob id and text, or null when the file does not exist. */
  readonly files: ReadonlyMap<string, { readonly oid: string; readonly text: string } | null>;
}

/**
 * The head of `branch` and the files at `paths` in that very commit, in one GraphQL request
 * (`Commit.file`), so what is read is consistent with the head a compare-and-swap will expect.
 * Null when the branch does not exist. A file too large for GraphQL's text is read over REST
 * at the same commit.
 */
export async function readBranch(
  github: GitHub,
  repo: RepoRef,
  branch: string,
  paths: readonly string[],
): Promise<BranchSnapshot | null> {
  const variables = Object.fromEntries(paths.map((p, i) => [`path${String(i)}`, p]));
  const files = paths
    .map(
      (_, i) =>
        `\n          file${String(i)}: file(path: $path${String(i)}) { oid object { ... on Blob { text isTruncated } } }`,
    )
    .join("");
  const query = `query($owner: String!, $repo: String!, $ref: String!${paths.map((_, i) => `, $path${String(i)}: String!`).join("")}) {
  repository(owner: $owner, name: $repo) {
    ref(qualifiedName: $ref) {
      target {
        oid${paths.length > 0 ? `\n        ... on Commit {${files}\n        }` : ""}
      }
    }
  }
}`;
  const answer = z
    .object({
      repository: z.object({
        ref: z.object({ target: z.object({ oid: z.string() }).catchall(Entry) }).nullable(),
      }),
    })
    .parse(
      await github.graphql(query, {
        owner: repo.owner,
        repo: repo.repo,
        ref: `refs/heads/${branch}`,
        ...variables,
      }),
    );
  const target = answer.repository.ref?.target;
  if (!target) return null;
  const head = target.oid;
  const found = new Map<string, { oid: string; text: string } | null>();
  for (const [i, path] of paths.entries()) {
    const entry = Entry.parse((target as Record<string, unknown>)[`file${String(i)}`] ?? null);
    if (!entry) {
      found.set(path, null);
      continue;
    }
    const blob = entry.object;
    const text =
      blob?.text !== undefined && blob.text !== null && blob.isTruncated !== true
        ? blob.text
        : await readOverRest(github, repo, path, head);
    found.set(path, { oid: entry.oid, text });
  }
  return { head, files: found };
}

const Folder = z.object({
  repository: z.object({
    object: z
      .object({
        entries: z
          .array(z.object({ name: z.string(), path: z.string(), object: Blob.nullable() }))
          .optional(),
      })
      .nullable(),
  }),
});

/** The text of every file of a folder on a branch whose name ends with `suffix`, by name. */
export async function readFolder(
  github: GitHub,
  repo: RepoRef,
  branch: string,
  folder: string,
  suffix: string,
): Promise<string[]> {
  const answer = Folder.parse(
    await github.graphql(
      `query($owner: String!, $repo: String!, $expression: String!) {
  repository(owner: $owner, name: $repo) {
    object(expression: $expression) {
      ... on Tree { entries { name path object { ... on Blob { text isTruncated } } } }
    }
  }
}`,
      { owner: repo.owner, repo: repo.repo, expression: `${branch}:${folder}` },
    ),
  );
  const entries = (answer.repository.object?.entries ?? [])
    .filter((e) => e.name.endsWith(suffix))
    .sort((a, b) => a.name.localeCompare(b.name));
  const texts: string[] = [];
  for (const e of entries)
    texts.push(
      e.object?.text != null && e.object.isTruncated !== true
        ? e.object.text
        : await readOverRest(github, repo, e.path, branch),
    );
  return texts;
}

async function readOverRest(
  github: GitHub,
  repo: RepoRef,
  path: string,
  ref: string,
): Promise<string> {
  const { data } = await github.rest.repos.getContent({
    ...repo,
    path,
    ref,
    mediaType: { format: "raw" },
  });
  return typeof data === "string" ? data : JSON.stringify(data);
}
