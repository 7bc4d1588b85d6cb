import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { Git } from "../adapters/git/git.ts";
import { summariseLedger, totalCost } from "../core/cost/ledger.ts";
import { runTasks } from "./commands/run.ts";
import { loadAll } from "./commands/inspect.ts";
import { createOutput, reportError } from "./output.ts";
import { chooseProviders } from "../providers/from-env.ts";
import { createSampleRepo, DEMO_DIR } from "./sample-repo.ts";

/**
 * The offline demo: a copy of a small repository with a real test suite, one task through the
 * four roles and the quality gate, answered from a cassette. Prints where to look.
 */
async function demo(): Promise<number> {
  const repo = await createSampleRepo();
  console.log(`Sample repository: ${repo}\n`);
  const providers = await chooseProviders(
    { provider: "replay", cassette: join(DEMO_DIR, "cassette.yaml") },
    {},
  );
  const { code } = await runTasks(
    { workingDir: repo, clients: providers.clients },
    { tasks: join(DEMO_DIR, "tasks.yaml"), concurrency: 1 },
    createOutput(false),
  );
  const [doc] = await loadAll(repo);
  if (!doc) return 1;
  const log = await new Git({ cwd: repo }).output([
    "log",
    "--format=%h %s",
    `${doc.baseCommit ?? "main"}..${doc.branch}`,
  ]);
  const comments = join(repo, ".orchestrator", "comments", doc.id);
  const changeRequests = doc.steps
    .filter((s) => s.reviewRounds > 0)
    .map((s) => `${s.id} (${s.reviewRounds} round)`);
  const gateRuns = doc.gate.results.map(
    (r, i) =>
      `run ${i + 1}: ${
        r.checks.length === 0
          ? "no gate configured"
          : r.passed
            ? "green"
            : `red (${r.checks
                .filter((c) => !c.passed)
                .map((c) => c.name)
                .join(", ")})`
      }`,
  );
  console.log(`
Task ${doc.id} is ${doc.state}.
  Code review asked for changes on: ${changeRequests.join(", ") || "none"}
  Quality gate: ${gateRuns.join(" → ")}${doc.gate.fixes > 0 ? ` (fixer made ${doc.gate.fixes} fix)` : ""}

Branch ${doc.branch} (your checkout on main is untouched):
${log
  .trim()
  .split("\n")
  .reverse()
  .map((l) => `  ${l}`)
  .join("\n")}

Ledger:
${summariseLedger(doc.ledger)
  .map(
    (l) =>
      `  ${l.role.padEnd(14)} ${l.label.padEnd(30)} ${String(l.calls).padStart(2)} calls  $${l.costUsd.toFixed(4)}`,
  )
  .join("\n")}
  total ${" ".repeat(40)} $${totalCost(doc.ledger).toFixed(4)}

Where to look:
  run log      ${join(repo, ".orchestrator", "ORCHESTRATOR_RUN_LOG.md")}
  comments     ${comments}/ (${(await readdir(comments)).join(", ")})
  state        ${join(repo, ".orchestrator", "state", `${doc.id}.json`)}
  dashboard    ${join(repo, ".orchestrator", "DASHBOARD.md")} (from .orchestrator/records/)
  the change   git -C ${repo} diff main ${doc.branch}
  the CLI      npm run orchestrator -- summary --working-dir ${repo}
               npm run orchestrator -- stats summary --working-dir ${repo}
`);
  const readme = await new Git({ cwd: repo }).output(["show", `${doc.branch}:README.md`]);
  if (!readme.includes("truncate")) return 1;
  return code;
}

demo().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = reportError(error, false);
  },
);
