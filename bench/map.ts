/**
 * The repository map's size against what it shows, on the demo's repository and on this one
 * (its own git history, `HEAD`; set `MAP_REPO` to a git dir to measure another, e.g. a clone of
 * renovatebot/renovate), through the engine's `repositoryMap` and the core's `repoMap` at
 * several budgets: tokens (gpt-tokenizer, the engine's count) and the detail that fits, with
 * the time to read and parse the files. The engine's budget (`MAP_TOKENS`) is chosen from these
 * figures. Ends with one JSON line.
 */
import { countTokens } from "gpt-tokenizer";
import { Git } from "../src/adapters/git/git.ts";
import { GitWorkTree } from "../src/adapters/git/work-tree.ts";
import { createSampleRepo } from "../src/cli/sample-repo.ts";
import { repoMap, type MapFile } from "../src/core/look/repo-map.ts";
import { hasSymbols, symbolsOf } from "../src/core/look/symbols.ts";
import { MAP_TOKENS, repositoryMap } from "../src/engine/effects/repo-map.ts";
import { useTempRoot } from "./lib/temp-root.ts";

const BUDGETS = [1_000, 2_500, MAP_TOKENS, 10_000, Number.POSITIVE_INFINITY];

async function measure(name: string, gitDir: string) {
  const git = new Git({ cwd: gitDir, gitDir });
  const tree = new GitWorkTree({
    directory: gitDir,
    gitDir,
    git,
    author: { name: "bench", email: "bench@example.com" },
  });
  const head = (await git.output(["rev-parse", "HEAD"])).trim();
  const files = await tree.filesAt(head);
  const started = performance.now();
  const all: MapFile[] = [];
  for (const f of files) {
    const text = hasSymbols(f.path) ? await tree.readAt(head, f.path) : null;
    all.push({ path: f.path, symbols: text === null ? null : symbolsOf(f.path, text) });
  }
  const readParseMs = performance.now() - started;
  const budgets = BUDGETS.map((budget) => {
    const map = repoMap(all, budget, countTokens);
    return {
      budget: Number.isFinite(budget) ? budget : null,
      detail: map.detail,
      tokens: map.tokens,
    };
  });
  const engineStart = performance.now();
  const engineMap = await repositoryMap(tree, head, countTokens);
  const engineMs = performance.now() - engineStart;
  console.log(
    `${name}: ${files.length} files, ${all.filter((f) => f.symbols).length} parsed (${readParseMs.toFixed(0)} ms to read and parse all)`,
  );
  for (const b of budgets)
    console.log(
      `  budget ${String(b.budget ?? "none").padStart(6)}: ${b.detail.padEnd(12)} ${b.tokens} tokens`,
    );
  console.log(
    `  the engine's map (${MAP_TOKENS} tokens): ${countTokens(engineMap)} tokens in ${engineMs.toFixed(0)} ms`,
  );
  return {
    files: files.length,
    parsed: all.filter((f) => f.symbols).length,
    readParseMs: Math.round(readParseMs),
    engineMs: Math.round(engineMs),
    engineTokens: countTokens(engineMap),
    budgets,
  };
}

useTempRoot();
const demo = await createSampleRepo("bench-map-");
const results = {
  demo: await measure("demo", `${demo}/.git`),
  [process.env["MAP_REPO"] ? "other" : "orchestrator"]: await measure(
    process.env["MAP_REPO"] ?? "this repository",
    process.env["MAP_REPO"] ??
      (await new Git({ cwd: process.cwd() }).output(["rev-parse", "--absolute-git-dir"])).trim(),
  ),
};
console.log(JSON.stringify({ bench: "map", budget: MAP_TOKENS, results }));
