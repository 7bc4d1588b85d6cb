/**
 * The implementer's `edit_file` against real agents' edits: every `str_replace` call of the
 * public trajectories in bench/data/edits.jsonl (bench/data/README.md: sources, commits, what
 * was kept) is replayed through our tool (`runTool` on an in-memory tree, so the tool's own
 * input checks and answers run) and through today's strict matcher, in the same process.
 *
 * - landed: the edits the original agent landed, on the file as it was then. Ours must land
 *   each one with exactly the original's result (≥ 99 %); any other result is a wrong edit.
 * - drifted: the same edits as a model that drifted would send them (the block without its
 *   indentation, indented deeper, trailing spaces, doubled inner spaces: `bench/lib/edit-drift.ts`).
 *   These are derived from the real edits, not found in the trajectories (none of the reachable
 *   ones has a refused edit); the right result is the original's. Goal ≥ 95 % landed, 0 wrong.
 * - crlf: the landed edits on the same files with CRLF line endings; the right result is the
 *   original's with CRLF.
 *
 * Ends with one JSON line.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { runTool } from "../src/engine/agents/tools.ts";
import { DRIFTS, drifted, strictEdit, type Drift } from "./lib/edit-drift.ts";
import { MemoryTree } from "./lib/memory-tree.ts";
import { size } from "./lib/quick.ts";

interface Row {
  readonly source: string;
  readonly trajectory: string;
  readonly path: string;
  readonly base: string;
  readonly edits: readonly { readonly search: string; readonly replace: string }[];
}

type Verdict = "exact" | "tolerant" | "already" | "refused" | "wrong";
interface Tally {
  n: number;
  exact: number;
  tolerant: number;
  already: number;
  refused: number;
  wrong: number;
}
const tally = (): Tally => ({ n: 0, exact: 0, tolerant: 0, already: 0, refused: 0, wrong: 0 });

const file = fileURLToPath(new URL("data/edits.jsonl", import.meta.url));
const all = readFileSync(file, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => JSON.parse(l) as Row);
const rows = all.slice(0, size("BENCH_EDIT_FILES", all.length, 3));

/** One edit through our tool: what it did, judged against the right result. */
async function ours(
  before: string,
  edit: { search: string; replace: string },
  right: string,
): Promise<{ verdict: Verdict; micros: number }> {
  const tree = new MemoryTree({ "f.txt": before });
  const started = performance.now();
  const outcome = await runTool(
    tree,
    "edit_file",
    { path: "f.txt", search: edit.search, replace: edit.replace },
    [],
  );
  const micros = (performance.now() - started) * 1000;
  const after = (await tree.readFile("f.txt")) ?? "";
  if (after === right)
    return {
      verdict:
        after === before
          ? "already"
          : outcome.content.includes("matched ignoring")
            ? "tolerant"
            : "exact",
      micros,
    };
  if (after === before) return { verdict: outcome.isError ? "refused" : "already", micros };
  return { verdict: "wrong", micros };
}

/** The same edit through today's strict matcher. */
function strict(
  before: string,
  edit: { search: string; replace: string },
  right: string,
): { verdict: Verdict; micros: number } {
  const started = performance.now();
  const after = strictEdit(before, edit.search, edit.replace);
  const micros = (performance.now() - started) * 1000;
  if (after === null) return { verdict: "refused", micros };
  return { verdict: after === right ? "exact" : "wrong", micros };
}

const results = {
  landed: { ours: tally(), strict: tally() },
  crlf: { ours: tally(), strict: tally() },
  drifted: { ours: tally(), strict: tally() },
  byDrift: Object.fromEntries(DRIFTS.map((d) => [d, { ours: tally(), strict: tally() }])) as Record<
    Drift,
    { ours: Tally; strict: Tally }
  >,
};
const micros = { ours: [] as number[], strict: [] as number[] };
const wrongs: string[] = [];
const count = (t: Tally, v: Verdict) => {
  t.n += 1;
  t[v] += 1;
};
const crlf = (s: string) => s.replace(/\n/g, "\r\n");

for (const row of rows) {
  let state = row.base;
  for (const [i, edit] of row.edits.entries()) {
    const right = strictEdit(state, edit.search, edit.replace);
    if (right === null)
      throw new Error(
        `${row.trajectory} ${row.path} edit ${i}: the table's file does not hold the search once`,
      );
    const mine = await ours(state, edit, right);
    const theirs = strict(state, edit, right);
    count(results.landed.ours, mine.verdict);
    count(results.landed.strict, theirs.verdict);
    micros.ours.push(mine.micros);
    micros.strict.push(theirs.micros);
    if (mine.verdict === "wrong") wrongs.push(`landed ${row.trajectory} ${row.path} #${i}`);
    count(results.crlf.ours, (await ours(crlf(state), edit, crlf(right))).verdict);
    count(results.crlf.strict, strict(crlf(state), edit, crlf(right)).verdict);
    for (const drift of DRIFTS) {
      const variant = drifted(edit, drift);
      if (!variant) continue;
      const a = (await ours(state, variant, right)).verdict;
      const b = strict(state, variant, right).verdict;
      count(results.drifted.ours, a);
      count(results.drifted.strict, b);
      count(results.byDrift[drift].ours, a);
      count(results.byDrift[drift].strict, b);
      if (a === "wrong") wrongs.push(`${drift} ${row.trajectory} ${row.path} #${i}`);
    }
    state = right;
  }
}

const landedShare = (t: Tally) => (t.n === 0 ? 0 : (t.exact + t.tolerant) / t.n);
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const line = (name: string, t: Tally) =>
  `${name.padEnd(22)} ${String(t.n).padStart(4)} edits: ${pct(landedShare(t)).padStart(7)} landed (exact ${t.exact}, tolerant ${t.tolerant}), already there ${t.already}, refused ${t.refused}, wrong ${t.wrong}`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)] ?? 0);
};

const sources = [...new Set(rows.map((r) => r.source))].join(", ");
console.log(
  `bench:edits: ${rows.length} files from ${sources} (${file.replace(/.*\/bench\//, "bench/")})\n`,
);
for (const [name, r] of [
  ["landed", results.landed],
  ["landed, CRLF file", results.crlf],
  ["drifted (derived)", results.drifted],
  ...DRIFTS.map((d) => [`  ${d}`, results.byDrift[d]] as const),
] as const) {
  console.log(line(`${name}: ours`, r.ours));
  console.log(line(`${name}: strict`, r.strict));
}
const oursMedian = median(micros.ours);
const strictMedian = median(micros.strict);
console.log(
  `\nmedian per edit: ours ${oursMedian.toFixed(0)} µs (the whole tool call), strict ${strictMedian.toFixed(1)} µs (×${(oursMedian / Math.max(strictMedian, 0.001)).toFixed(0)})`,
);
const wrong = results.landed.ours.wrong + results.crlf.ours.wrong + results.drifted.ours.wrong;
const goals = {
  landed: landedShare(results.landed.ours) >= 0.99,
  drifted: landedShare(results.drifted.ours) >= 0.95,
  noneWrong: wrong === 0,
};
console.log(
  `goals: ≥ 99 % of landed edits land (${goals.landed ? "met" : "NOT met"}), ≥ 95 % of drifted ones, derived from the landed ones (${goals.drifted ? "met" : "NOT met"}), 0 wrong (${goals.noneWrong ? "met" : `NOT met: ${wrongs.join("; ")}`})`,
);
console.log(
  JSON.stringify({
    bench: "edits",
    files: rows.length,
    results,
    medianMicros: { ours: Number(oursMedian.toFixed(1)), strict: Number(strictMedian.toFixed(2)) },
    wrong: wrongs,
    goalsMet: goals.landed && goals.drifted && goals.noneWrong,
    goals,
  }),
);
