/**
 * Extracts the real-outcome world of `bench/router.ts` (bench/data/swe-bench-pro.csv) from two
 * public git repositories fetched beforehand, read at pinned commits (nothing of them is kept):
 *
 *   node scripts/extract-swe-bench-pro.ts --scale <git dir of scaleapi/SWE-bench_Pro-os> \
 *     --nilenso <git dir of nilenso/swe-bench-pro-cost-token-time-analysis> [--out <file>]
 *
 * Per SWE-Bench Pro public instance, for three models run by Scale AI with the same SWE-agent
 * 1.1.0 scaffold (250 turns, no cost limit): whether the model resolved it, what the run cost
 * and how many model calls it made. bench/data/README.md says where each column comes from.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";

/** scaleapi/SWE-bench_Pro-os: `traj/<run>/eval_results.json`, instance id → resolved. */
const SCALE_COMMIT = "ca10a60a5fcae51e6948ffe1485d4153d421e6c5";
/** nilenso/…: the per-instance costs it extracted from the runs' trajectories (model_stats). */
const NILENSO_DOCS_COMMIT = "1169deb8892569c6b1ac4c51f2b09eb3b886ddef";
/** nilenso/…: `data/agent_runs_data.csv` (Docent export: instance, model, resolved, turns). */
const NILENSO_CSV_COMMIT = "adde7eea2c7ab014932f047d63f1b8771c9d9fd7";

const RUNS = {
  sonnet45: "traj/claude-45sonnet-10132025/eval_results.json",
  gpt5: "traj/gpt-5-250-turns-10132025/eval_results.json",
};
const DOCENT = {
  sonnet45: "Claude 4.5 Sonnet - 10132025",
  haiku45: "Claude 4.5 Haiku -- 10222025",
};
/** Claude Haiku 4.5 costs a third of Claude Sonnet 4.5 on every kind of token ($1 against $3 in, $5 against $15 out, cache likewise): https://platform.claude.com/docs/en/about-claude/pricing. */
const HAIKU_PRICE_SHARE = 1 / 3;

const { values } = parseArgs({
  options: {
    scale: { type: "string" },
    nilenso: { type: "string" },
    out: { type: "string", default: "bench/data/swe-bench-pro.csv" },
  },
});
if (!values.scale || !values.nilenso) {
  console.error("usage: --scale <git dir> --nilenso <git dir> [--out <file>]");
  process.exit(2);
}
const show = (gitDir: string, commit: string, path: string): string =>
  execFileSync("git", ["--git-dir", gitDir, "show", `${commit}:${path}`], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });

interface Run {
  readonly resolved: boolean;
  readonly model_stats: { readonly instance_cost: number; readonly api_calls: number };
}
interface Pair {
  readonly instance_id: string;
  readonly repo: string;
  readonly gpt5?: Run | null;
  readonly claude?: Run | null;
}

/** The `const DATA = [...]` array a report page embeds (balanced brackets, strings skipped). */
function embedded(html: string): Pair[] {
  const start = html.indexOf("const DATA = ");
  if (start < 0) throw new Error("no DATA array in the page");
  const from = start + "const DATA = ".length;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = from; i < html.length; i++) {
    const c = html[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (c === "\\") escaped = true;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "[" || c === "{") depth++;
    else if (c === "]" || c === "}") {
      depth--;
      if (depth === 0) return JSON.parse(html.slice(from, i + 1)) as Pair[];
    }
  }
  throw new Error("unterminated DATA array");
}

const resolved = Object.fromEntries(
  Object.entries(RUNS).map(([k, path]) => [
    k,
    new Map(
      Object.entries(
        JSON.parse(show(values.scale as string, SCALE_COMMIT, path)) as Record<string, boolean>,
      ),
    ),
  ]),
) as Record<keyof typeof RUNS, Map<string, boolean>>;

const pairs = new Map<string, Pair>();
for (const page of ["docs/index.html", "docs/unsubmitted.html"])
  for (const p of embedded(show(values.nilenso, NILENSO_DOCS_COMMIT, page)))
    pairs.set(p.instance_id, p);

const docent = new Map<string, Map<string, { resolved: boolean; turns: number }>>();
const csv = show(values.nilenso, NILENSO_CSV_COMMIT, "data/agent_runs_data.csv").trim().split("\n");
for (const line of csv.slice(1)) {
  const [, instance, model, done, turns] = line.split(",");
  if (!instance || !model || done === undefined || turns === undefined) continue;
  const byInstance = docent.get(model) ?? new Map<string, { resolved: boolean; turns: number }>();
  byInstance.set(instance, { resolved: done === "true", turns: Number(turns) });
  docent.set(model, byInstance);
}
const haiku = docent.get(DOCENT.haiku45);
const sonnetTurns = docent.get(DOCENT.sonnet45);
if (!haiku || !sonnetTurns) throw new Error("the Docent export lacks a model");

// How a Claude Sonnet 4.5 run's cost grows with its number of calls (each call re-reads the
// growing conversation): the slope of log(cost) on log(calls) over its own runs.
const points = [...pairs.values()].flatMap((p): [number, number][] =>
  p.claude && p.claude.model_stats.api_calls > 0
    ? [[Math.log(p.claude.model_stats.api_calls), Math.log(p.claude.model_stats.instance_cost)]]
    : [],
);
const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const mx = mean(points.map((p) => p[0]));
const my = mean(points.map((p) => p[1]));
const growth =
  points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) /
  points.reduce((s, [x]) => s + (x - mx) ** 2, 0);

const rows: string[] = [
  "instance_id,repo,sonnet45_resolved,sonnet45_cost_usd,sonnet45_calls,gpt5_resolved,gpt5_cost_usd,gpt5_calls,haiku45_resolved,haiku45_cost_usd_estimated,haiku45_calls",
];
const skipped: string[] = [];
const money = (x: number) => x.toFixed(4);
for (const p of [...pairs.values()].sort((a, b) => a.instance_id.localeCompare(b.instance_id))) {
  const s = p.claude;
  const g = p.gpt5;
  const h = haiku.get(p.instance_id);
  const sResolved = resolved.sonnet45.get(p.instance_id);
  const gResolved = resolved.gpt5.get(p.instance_id);
  const sTurns = sonnetTurns.get(p.instance_id)?.turns;
  if (!s || !g || !h || sResolved === undefined || gResolved === undefined || !sTurns) {
    skipped.push(p.instance_id);
    continue;
  }
  // The two sources must agree on every outcome they share.
  if (s.resolved !== sResolved || g.resolved !== gResolved)
    throw new Error(`${p.instance_id}: the report and eval_results.json disagree`);
  const haikuCost = s.model_stats.instance_cost * HAIKU_PRICE_SHARE * (h.turns / sTurns) ** growth;
  rows.push(
    [
      p.instance_id,
      p.repo,
      sResolved ? 1 : 0,
      money(s.model_stats.instance_cost),
      s.model_stats.api_calls,
      gResolved ? 1 : 0,
      money(g.model_stats.instance_cost),
      g.model_stats.api_calls,
      h.resolved ? 1 : 0,
      money(haikuCost),
      h.turns,
    ].join(","),
  );
}
writeFileSync(values.out, `${rows.join("\n")}\n`);
console.log(
  `${rows.length - 1} instances written to ${values.out}; skipped (a model missing): ${skipped.join(", ") || "none"}; cost growth with calls: ${growth.toFixed(3)}`,
);
