/**
 * What one sweep pass costs with many installed repositories and no active task: GitHub
 * requests per pass and per repository, for one replica and for three replicas sweeping at
 * once, first pass (cold) and later passes (conditional requests answered 304 Not Modified,
 * which do not count against the rate limit), against a baseline run in the same process that
 * looks at each repository on its own. Three replicas run twice: taking turns (the default),
 * and each sweeping everything (`takeTurns: false`); the pass where a new turn starts is
 * measured on its own. Ends with one JSON line of figures.
 */
import { appRuntime } from "../src/app/app.ts";
import { sweepRepository } from "../src/app/sweep.ts";
import { appHarness, githubWorld, type AppHarness } from "../test/fakes/app-harness.ts";
import { size } from "./lib/quick.ts";
import { useTempRoot } from "./lib/temp-root.ts";

useTempRoot();

const REPOSITORIES = size("BENCH_REPOSITORIES", 200, 20);

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

const TURN_MS = 15 * 60_000;

async function scenario(count: number, takeTurns: boolean) {
  let now = Date.parse("2026-11-23T12:00:00Z");
  const clock = { now: () => now };
  const world = await githubWorld();
  for (let i = 1; i < REPOSITORIES; i++)
    world.github.otherRepositories.push({ name: `repo-${String(i)}`, files: new Map() });
  const replicas: AppHarness[] = [];
  // Each replica sweeps once at start-up with nothing cached: the cold pass.
  const before = world.github.requests.length;
  const notModifiedBefore = world.github.notModified;
  for (let i = 0; i < count; i++)
    replicas.push(
      await appHarness({
        world,
        overrides: { owner: `replica-${String(i)}`, clock, leaseMs: TURN_MS, takeTurns },
      }),
    );
  const coldRequests = world.github.requests.length - before;
  const cold = {
    requests: coldRequests,
    perRepository: coldRequests / REPOSITORIES,
    counted: (coldRequests - (world.github.notModified - notModifiedBefore)) / REPOSITORIES,
  };
  const first = await pass(replicas);
  const second = await pass(replicas);
  // The next turn: with turns, one replica claims it (list, create, remove the last) and sweeps.
  now += TURN_MS;
  const newTurn = await pass(replicas);
  const unknown = [...new Set(world.github.unknown.map((u) => u.replace(/repo-\d+/, "repo-N")))];
  world.github.stop();
  return { replicas: count, takeTurns, cold, first, second, newTurn, unknown };
}

/**
 * The baseline, in the same process: one replica looking at each repository on its own (no
 * batched snapshot), as the Action's scheduled sweep of its one repository does.
 */
async function oneByOne() {
  const world = await githubWorld();
  for (let i = 1; i < REPOSITORIES; i++)
    world.github.otherRepositories.push({ name: `repo-${String(i)}`, files: new Map() });
  const h = await appHarness({ world });
  const { options, client } = appRuntime(h.app.options);
  const github = client(await h.probot.auth(1), 1);
  const repos = [world.github.repo, ...world.github.otherRepositories.map((r) => r.name)];
  const passOnce = async () => {
    const before = world.github.requests.length;
    const notModified = world.github.notModified;
    for (const repo of repos)
      await sweepRepository(options, github, { owner: world.github.owner, repo }, "main");
    const requests = world.github.requests.length - before;
    return {
      requests,
      perRepository: requests / REPOSITORIES,
      counted: (requests - (world.github.notModified - notModified)) / REPOSITORIES,
    };
  };
  await passOnce();
  const warm = await passOnce();
  world.github.stop();
  return warm;
}

const baseline = await oneByOne();
const one = await scenario(1, false);
const three = await scenario(3, true);
const threeEach = await scenario(3, false);
for (const s of [one, three, threeEach]) {
  process.stdout.write(
    `${String(s.replicas)} replica(s)${s.takeTurns ? " taking turns" : ""}, ${String(REPOSITORIES)} repositories: ` +
      `cold (start-up) ${String(s.cold.requests)} requests (${s.cold.perRepository.toFixed(2)}/repository, ${s.cold.counted.toFixed(2)} counted against the rate limit), ` +
      `warm ${String(s.second.requests)} (${s.second.perRepository.toFixed(2)}/repository, ${s.second.counted.toFixed(2)} counted), ${String(s.second.ms)} ms; ` +
      `pass starting a turn ${String(s.newTurn.requests)} requests, ${String(s.newTurn.writes)} writes\n`,
  );
  if (s.unknown.length > 0)
    process.stdout.write(`  fake has no route for: ${s.unknown.join(", ")}\n`);
}
process.stdout.write(
  `baseline, each repository on its own (1 replica): warm ${String(baseline.requests)} requests (${baseline.perRepository.toFixed(2)}/repository, ${baseline.counted.toFixed(2)} counted)\n`,
);
const batched = one.second.counted / baseline.counted;
const threeVsOne = three.second.requests / one.second.requests;
const eachVsOne = threeEach.second.requests / one.second.requests;
process.stdout.write(
  `batched against the baseline (warm, counted): ${batched.toFixed(3)}×; three replicas against one: ${threeVsOne.toFixed(2)}× the requests taking turns, ${eachVsOne.toFixed(2)}× each sweeping everything\n`,
);
process.stdout.write(
  `${JSON.stringify({ bench: "sweep", repositories: REPOSITORIES, baseline, one, three, threeEach, batchedVsBaseline: batched, threeVsOne, eachVsOne })}\n`,
);
