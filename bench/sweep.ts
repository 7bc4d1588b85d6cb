/**
 * What one sweep pass costs with many installed repositories and no active task: GitHub
 * requests per pass and per repository, for one replica and for three replicas sweeping at
 * once, first pass (cold) and later passes (conditional requests answered 304 Not Modified,
 * which do not count against the rate limit). Ends with one JSON line of figures.
 */
import { appHarness, githubWorld, type AppHarness } from "../test/fakes/app-harness.ts";

const REPOSITORIES = Number(process.env["BENCH_REPOSITORIES"] ?? 200);

async function pass(replicas: AppHarness[]) {
  const github = replicas[0]?.github;
  if (!github) throw new Error("no replica");
  const before = github.requests.length;
  const notModifiedBefore = github.notModified;
  const started = performance.now();
  await Promise.all(replicas.map((r) => r.app.sweep()));
  await Promise.all(replicas.map((r) => r.app.queue.idle()));
  const requests = github.requests.length - before;
  const notModified = github.notModified - notModifiedBefore;
  return {
    requests,
    perRepository: requests / REPOSITORIES,
    counted: (requests - notModified) / REPOSITORIES,
    writes: github.requests
      .slice(before)
      .filter((r) => r.write && !r.path.endsWith("/access_tokens")).length,
    ms: Math.round(performance.now() - started),
  };
}

async function scenario(count: number) {
  const world = await githubWorld();
  for (let i = 1; i < REPOSITORIES; i++)
    world.github.otherRepositories.push({ name: `repo-${String(i)}`, files: new Map() });
  const replicas: AppHarness[] = [];
  // Each replica sweeps once at start-up with nothing cached: the cold pass.
  const before = world.github.requests.length;
  const notModifiedBefore = world.github.notModified;
  for (let i = 0; i < count; i++)
    replicas.push(await appHarness({ world, overrides: { owner: `replica-${String(i)}` } }));
  const coldRequests = world.github.requests.length - before;
  const cold = {
    requests: coldRequests,
    perRepository: coldRequests / REPOSITORIES,
    counted: (coldRequests - (world.github.notModified - notModifiedBefore)) / REPOSITORIES,
  };
  const first = await pass(replicas);
  const second = await pass(replicas);
  const unknown = [...new Set(world.github.unknown.map((u) => u.replace(/repo-\d+/, "repo-N")))];
  world.github.stop();
  return { replicas: count, cold, first, second, unknown };
}

const one = await scenario(1);
const three = await scenario(3);
for (const s of [one, three]) {
  process.stdout.write(
    `${String(s.replicas)} replica(s), ${String(REPOSITORIES)} repositories: ` +
      `cold (start-up) ${String(s.cold.requests)} requests (${s.cold.perRepository.toFixed(2)}/repository, ${s.cold.counted.toFixed(2)} counted against the rate limit), ` +
      `warm ${String(s.second.requests)} (${s.second.perRepository.toFixed(2)}/repository, ${s.second.counted.toFixed(2)} counted), ${String(s.second.ms)} ms\n`,
  );
  if (s.unknown.length > 0)
    process.stdout.write(`  fake has no route for: ${s.unknown.join(", ")}\n`);
}
process.stdout.write(
  `${JSON.stringify({ bench: "sweep", repositories: REPOSITORIES, one, three })}\n`,
);
