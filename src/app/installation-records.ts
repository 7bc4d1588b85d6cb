import { z } from "zod";
import { readFolder } from "../adapters/github/state/branch-snapshot.ts";
import type { GitHub, RepoRef } from "../adapters/github/api/client.ts";
import { InstalledRepository } from "../adapters/github/api/responses.ts";
import type { Records } from "../core/learning/analytics.ts";
import { readRecords } from "../core/learning/records.ts";
import type { AppOptions } from "./options.ts";

/** How long an installation's pooled records are reused before they are read again. */
const TTL_MS = 60 * 60 * 1000;

/**
 * The learning records of every other repository the installation can reach (their state
 * branches, named as this repository names its own), read at most once an hour per process:
 * a new repository routes with its installation's experience until it has its own.
 */
export function installationRecords(
  app: AppOptions,
  github: GitHub,
  repo: RepoRef,
  stateBranch: string,
): () => Promise<Records> {
  return async () => {
    const cache = app.installationRecords;
    const key = `${repo.owner}@${stateBranch}`;
    const known = cache?.get(key);
    if (known && app.clock.now() - known.at < TTL_MS) return others(await known.byRepository, repo);
    const byRepository = readAll(github, stateBranch);
    cache?.set(key, { at: app.clock.now(), byRepository });
    // A failed read is forgotten, not cached.
    byRepository.catch(() => cache?.delete(key));
    return others(await byRepository, repo);
  };
}

async function readAll(github: GitHub, stateBranch: string): Promise<ReadonlyMap<string, Records>> {
  const repos = z
    .array(InstalledRepository)
    .parse(
      await github.paginate(github.rest.apps.listReposAccessibleToInstallation, { per_page: 100 }),
    );
  const byRepository = new Map<string, Records>();
  for (const r of repos) {
    const files = await readFolder(
      github,
      { owner: r.owner.login, repo: r.name },
      stateBranch,
      "records",
      ".jsonl",
    ).catch(() => [] as string[]);
    byRepository.set(`${r.owner.login}/${r.name}`, readRecords(files));
  }
  return byRepository;
}

/** Everything but this repository's own records (those count in full, as its own evidence). */
function others(byRepository: ReadonlyMap<string, Records>, repo: RepoRef): Records {
  const rest = [...byRepository.entries()].filter(
    ([name]) => name !== `${repo.owner}/${repo.repo}`,
  );
  return { tasks: rest.flatMap(([, r]) => r.tasks), calls: rest.flatMap(([, r]) => r.calls) };
}
