import { z } from "zod";
import type { GitHub, RepoRef } from "../api/client.ts";

const QUERY = `query($owner: String!, $repo: String!, $number: Int!) {
  repository(owner: $owner, name: $repo) {
    issue(number: $number) {
      title
      body
      lastEditedAt
      timelineItems(itemTypes: [LABELED_EVENT, RENAMED_TITLE_EVENT], last: 100) {
        nodes {
          __typename
          ... on LabeledEvent { createdAt label { name } actor { __typename login } }
          ... on RenamedTitleEvent { createdAt }
        }
      }
    }
  }
}`;

const Answer = z.object({
  repository: z.object({
    issue: z
      .object({
        title: z.string(),
        body: z.string(),
        lastEditedAt: z.string().nullable(),
        timelineItems: z.object({
          nodes: z.array(
            z
              .object({
                __typename: z.string(),
                createdAt: z.string(),
                label: z.object({ name: z.string() }),
                actor: z.object({ __typename: z.string(), login: z.string() }).nullable(),
              })
              .partial()
              .nullable(),
          ),
        }),
      })
      .nullable(),
  }),
});

export interface LabelHistory {
  readonly title: string;
  readonly body: string;
  /** When the issue's body or title was last edited, or null if never. */
  readonly lastEditedAt: string | null;
  /** The latest time the label was added, by whom (null when it never was). */
  readonly labelled: { readonly at: string; readonly by: string; readonly isUser: boolean } | null;
}

/** When and by whom `label` was last added to an issue, and when its text was last edited. */
export async function labelHistory(
  github: GitHub,
  repo: RepoRef,
  issue: number,
  label: string,
): Promise<LabelHistory | null> {
  const answer = Answer.parse(
    await github.graphql(QUERY, { owner: repo.owner, repo: repo.repo, number: issue }),
  );
  const found = answer.repository.issue;
  if (!found) return null;
  const nodes = found.timelineItems.nodes;
  const event = nodes
    .filter((n) => n?.__typename === "LabeledEvent" && n.label?.name === label)
    .at(-1);
  const renamed = nodes
    .filter((n) => n?.__typename === "RenamedTitleEvent")
    .map((n) => n?.createdAt ?? "")
    .at(-1);
  const edits = [found.lastEditedAt, renamed].filter((t): t is string => Boolean(t)).sort();
  return {
    title: found.title,
    body: found.body,
    lastEditedAt: edits.at(-1) ?? null,
    labelled:
      event?.createdAt && event.actor
        ? { at: event.createdAt, by: event.actor.login, isUser: event.actor.__typename === "User" }
        : null,
  };
}
