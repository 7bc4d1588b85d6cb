/**
 * GitHub REST calls for a 5-step happy-path task, counted by the fake GitHub and broken down by
 * endpoint: from the `orchestrate` label to the pull request marked ready. "Polling" counts calls
 * made while the task waited for CI (between the push and the check_suite webhook).
 * Ends with one JSON line of figures.
 */
import type { Cassette } from "../src/providers/replay/cassette.ts";
import { appHarness, githubWorld } from "../test/fakes/app-harness.ts";
import { taskOf } from "../test/fakes/app-scenario.ts";
import { useTempRoot } from "./lib/temp-root.ts";

useTempRoot();

function fiveStepCassette(): Cassette {
  const steps = [1, 2, 3, 4, 5].map((n) => ({
    id: `S${n}`,
    type: "implementation",
    description: `Add helper number ${n}.`,
    risk: "low",
    complexity: "small",
    files: [`src/helper${n}.js`],
    tests_required: false,
  }));
  const calls: Cassette["calls"] = [
    {
      role: "planner",
      step: null,
      attempt: 1,
      turn: 0,
      text: "",
      tool_calls: [],
      usage: { input: 2000, output: 400, cache_read: 0, cache_write: 0, reasoning: 0 },
      object: { summary: "Five small helpers.", steps },
    },
    {
      role: "plan_reviewer",
      step: null,
      attempt: 1,
      turn: 0,
      text: "",
      tool_calls: [],
      usage: { input: 1500, output: 150, cache_read: 0, cache_write: 0, reasoning: 0 },
      object: {
        status: "approved",
        scores: { completeness: 8, feasibility: 9, risk_assessment: 8 },
        missing_steps: [],
        concerns: [],
        suggestions: [],
      },
    },
  ];
  for (const s of steps) {
    calls.push(
      {
        role: "implementer",
        step: s.id,
        attempt: 1,
        turn: 0,
        text: "",
        usage: { input: 3000, output: 200, cache_read: 2000, cache_write: 0, reasoning: 0 },
        tool_calls: [
          {
            name: "write_file",
            input: { path: s.files[0] ?? "", content: `export const helper = () => "${s.id}";\n` },
          },
        ],
      },
      {
        role: "implementer",
        step: s.id,
        attempt: 1,
        turn: 1,
        text: "",
        usage: { input: 3200, output: 40, cache_read: 3000, cache_write: 0, reasoning: 0 },
        tool_calls: [{ name: "finish", input: { summary: `Added ${s.files[0] ?? ""}.` } }],
      },
      {
        role: "code_reviewer",
        step: s.id,
        attempt: 1,
        turn: 0,
        text: "",
        tool_calls: [],
        usage: { input: 1200, output: 80, cache_read: 0, cache_write: 0, reasoning: 0 },
        object: {
          status: "approved",
          required_changes: [],
          optional_improvements: [],
          scores: { correctness: 9, readability: 9, tests: 7 },
        },
      },
    );
  }
  return { providers: ["anthropic", "google"], calls };
}

const world = await githubWorld();
const worker = await appHarness({ world, cassette: fiveStepCassette() });
const startup = world.github.requests.length;
await worker.deliver("issues", worker.labeled());
const waiting = taskOf(world.github);
const head = await worker.head(waiting?.branch ?? "");
const beforeCi = world.github.requests.length;
// Nothing runs while CI works: the next request can only come from the webhook below.
await new Promise((resolve) => setTimeout(resolve, 500));
const polling = world.github.requests.length - beforeCi;
world.github.completeCheck({ sha: head ?? "", conclusion: "success" });
await worker.deliver("check_suite", worker.checkSuite(head ?? "", waiting?.branch ?? ""));
const done = taskOf(world.github);
world.github.requests.splice(0, startup);
const byEndpoint = Object.entries(world.github.byEndpoint()).sort((a, b) => b[1] - a[1]);
const total = world.github.requests.length;
const count = (match: (endpoint: string) => boolean): number =>
  byEndpoint.filter(([k]) => match(k)).reduce((sum, [, n]) => sum + n, 0);
// The first task of a repository creates the state branch (an orphan tree, commit and ref).
const branchCreation = count((k) => /POST \S+\/git\/(trees|commits|refs)$/.test(k));
const stateBranch = count(
  (k) =>
    k.includes("/git/") || k.includes("createCommitOnBranch") || k.endsWith("/graphql repository"),
);
const graphql = count((k) => k.includes("/graphql"));
const notModified = world.github.notModified;
world.github.stop();
console.log(
  `5-step task ${done?.state ?? "?"}; pull request ${world.github.pulls[0]?.draft === false ? "ready" : "not ready"}`,
);
for (const [endpoint, count] of byEndpoint)
  console.log(`  ${String(count).padStart(3)}  ${endpoint}`);
console.log(
  `total ${total} requests (${total - graphql} REST, ${graphql} GraphQL); state branch ${stateBranch}, of which ${branchCreation} create the branch once per repository; ${notModified} answered 304 (free of rate limit); polling while CI ran: ${polling}`,
);
console.log(
  `a task in a repository whose state branch exists: ${total - branchCreation} requests, ${total - branchCreation - notModified} against the rate limit`,
);
console.log(
  JSON.stringify({
    bench: "api-calls",
    steps: 5,
    state: done?.state,
    total,
    rest: total - graphql,
    graphql,
    stateBranchCalls: stateBranch,
    branchCreation,
    notModified,
    perTaskWithBranch: total - branchCreation,
    rateLimited: total - notModified,
    polling,
    byEndpoint: Object.fromEntries(byEndpoint),
  }),
);
