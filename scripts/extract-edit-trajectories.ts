/**
 * Extracts the table `bench/edits.ts` replays (bench/data/edits.jsonl) from public agent
 * trajectories, read at a pinned commit of a git directory fetched beforehand (nothing of it is
 * kept but what the table needs):
 *
 *   node scripts/extract-edit-trajectories.ts --adp <git dir of zhu-yiqi/agent-data-protocol> [--out <file>]
 *
 * The trajectories are the samples the Agent Data Protocol keeps of three published datasets
 * (bench/data/README.md names them): OpenHands and SWE-agent runs whose `str_replace_editor`
 * calls edit files of real repositories. An edit is kept when the whole file it edited is known
 * from the trajectory itself (the agent created it, or viewed it whole before editing it) and
 * every step is checked: the original tool's answer said the edit was made, the search occurs
 * exactly once in the file as rebuilt, and the file rebuilt after the edit agrees with the
 * numbered snippet the original tool showed. Of each file only the lines some search or
 * replacement of its edits could match are kept; the others become one placeholder line per run,
 * and a check replays every edit (and its drifted forms) on the whole file and on the kept
 * lines: the answers must be the same.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DRIFTS, drifted, strictEdit } from "../bench/lib/edit-drift.ts";
import { editText } from "../src/core/edit/edit-text.ts";
import { canonicalLine } from "../src/core/edit/match.ts";

/** zhu-yiqi/agent-data-protocol (a fork of neulab/agent-data-protocol, MIT). */
const ADP_COMMIT = "df5b5adc3b61adbe0a0cc250d56a781cbffc867e";
const SOURCES = {
  "swe-gym": "datasets/swe-gym_openhands_sampled_trajectories/sample_raw.json",
  "swe-smith": "datasets/swe-smith/sample_raw.json",
  "swe-play": "datasets/swe-play-trajectories/sample_raw.json",
} as const;
const PLACEHOLDER = (n: number) =>
  `⟪${n} line${n > 1 ? "s" : ""} not needed to replay these edits⟫`;

const { values } = parseArgs({
  options: {
    adp: { type: "string" },
    out: { type: "string", default: "bench/data/edits.jsonl" },
  },
});
if (!values.adp) {
  console.error("usage: --adp <git dir> [--out <file>]");
  process.exit(2);
}
const show = (path: string): string =>
  execFileSync("git", ["--git-dir", values.adp as string, "show", `${ADP_COMMIT}:${path}`], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });

interface Call {
  readonly tool: string;
  readonly args: Record<string, unknown>;
  readonly observation: string;
  readonly step: number;
}
interface Message {
  readonly role: string;
  readonly content?: string | null;
  readonly tool_call_id?: string | null;
  readonly tool_calls?: { id: string; function: { name: string; arguments: string } }[] | null;
}
interface Trajectory {
  readonly instance_id?: string;
  readonly id?: string;
  readonly messages: Message[];
}

/** The calls of a trajectory in order: OpenHands' function calls, or SWE-agent's and OpenHands' `<function=…>` text. */
function callsOf(t: Trajectory): Call[] {
  const calls: Call[] = [];
  if (t.messages.some((m) => m.tool_calls?.length)) {
    const results = new Map(
      t.messages.filter((m) => m.role === "tool").map((m) => [m.tool_call_id, m.content ?? ""]),
    );
    t.messages.forEach((m, step) => {
      for (const call of m.tool_calls ?? []) {
        let args: Record<string, unknown> = {};
        try {
          args = JSON.parse(call.function.arguments) as Record<string, unknown>;
        } catch {
          // An argument string that is not JSON was an error for the original tool too.
        }
        calls.push({
          tool: call.function.name,
          args,
          observation: results.get(call.id) ?? "",
          step,
        });
      }
    });
    return calls;
  }
  t.messages.forEach((m, step) => {
    if (m.role !== "assistant") return;
    const observation = t.messages[step + 1]?.content ?? "";
    for (const f of (m.content ?? "").matchAll(/<function=([a-z_]+)>([\s\S]*?)<\/function>/g)) {
      const args: Record<string, unknown> = {};
      // SWE-agent's and OpenHands' parsers drop the newline after the opening tag and before the closing one.
      for (const p of (f[2] ?? "").matchAll(/<parameter=([a-z_]+)>\n?([\s\S]*?)\n?<\/parameter>/g))
        args[p[1] ?? ""] = p[2] ?? "";
      calls.push({ tool: f[1] ?? "", args, observation, step });
    }
  });
  return calls;
}

const text = (v: unknown): string | null => (typeof v === "string" ? v : null);
const CAT = "result of running `cat -n` on";

/** Numbered lines of a `cat -n` observation (`%6d\t…`), or null when it is clipped or abbreviated. */
function numbered(observation: string): Map<number, string> | null {
  const at = observation.indexOf(CAT);
  if (at < 0 || /too large|clipped|<NOTE>/i.test(observation)) return null;
  const lines = new Map<number, string>();
  // The numbered lines follow the header without a break; what comes after is not the file's.
  for (const line of observation.slice(at).replace(/\r\n/g, "\n").split("\n").slice(1)) {
    const m = /^\s*(\d+)\t(.*)$/.exec(line);
    if (!m) break;
    lines.set(Number(m[1]), m[2] ?? "");
  }
  return lines;
}

/** A whole file from a `view` without a range, or null when the view was not the whole file. */
function wholeView(observation: string): string | null {
  const lines = numbered(observation);
  if (!lines || lines.size === 0) return null;
  const out: string[] = [];
  for (let n = 1; n <= lines.size; n++) {
    const line = lines.get(n);
    if (line === undefined) return null;
    out.push(line);
  }
  return `${out.join("\n")}\n`;
}

const expand = (s: string) => s.replace(/\t/g, "        ");
/** Whether the numbered snippet the tool showed after an edit agrees with the rebuilt file. */
function agrees(file: string, observation: string): boolean {
  const lines = numbered(observation);
  if (!lines || lines.size === 0) return false;
  const mine = file.split("\n");
  for (const [n, line] of lines)
    if (expand(mine[n - 1] ?? "").trimEnd() !== expand(line).trimEnd()) return false;
  return true;
}

const MODIFIES =
  /(>|\bsed\s+-i|\bmv\b|\bcp\b|\brm\b|\bpatch\b|\btee\b|\bgit\s+(checkout|apply|stash|reset|restore))/;
const relative = (path: string) =>
  path.replace(/^\/(testbed|workspace)\/(?:[^/]*__[^/]*__[^/]*\/)?/, "");

interface Sequence {
  source: string;
  trajectory: string;
  path: string;
  from: "created" | "viewed";
  base: string;
  edits: { step: number; search: string; replace: string }[];
}

let seen = 0;
const dropped: Record<string, number> = {};
const drop = (why: string) => (dropped[why] = (dropped[why] ?? 0) + 1);
const sequences: Sequence[] = [];
for (const [source, file] of Object.entries(SOURCES)) {
  for (const t of JSON.parse(show(file)) as Trajectory[]) {
    const open = new Map<string, Sequence & { state: string }>();
    const close = (path: string) => {
      const s = open.get(path);
      if (s && s.edits.length > 0) sequences.push(s);
      open.delete(path);
    };
    for (const call of callsOf(t)) {
      if (call.tool === "bash" || call.tool === "execute_bash") {
        const command = text(call.args["command"]) ?? "";
        for (const path of [...open.keys()])
          if (
            /\bgit\s+(checkout|stash|reset|restore)\b/.test(command) ||
            (MODIFIES.test(command) && command.includes(path.split("/").at(-1) ?? path))
          )
            close(path);
        continue;
      }
      if (call.tool !== "str_replace_editor") continue;
      const path = text(call.args["path"]);
      if (!path) continue;
      const command = call.args["command"];
      const current = open.get(path);
      if (command === "create") {
        close(path);
        const content = text(call.args["file_text"]);
        if (content !== null && call.observation.includes("created successfully"))
          open.set(path, {
            source,
            trajectory: t.instance_id ?? t.id ?? "?",
            path: relative(path),
            from: "created",
            base: content,
            edits: [],
            state: content,
          });
      } else if (command === "view" && call.args["view_range"] === undefined && !current) {
        const whole = wholeView(call.observation);
        if (whole !== null)
          open.set(path, {
            source,
            trajectory: t.instance_id ?? t.id ?? "?",
            path: relative(path),
            from: "viewed",
            base: whole,
            edits: [],
            state: whole,
          });
      } else if (command === "str_replace") {
        seen += 1;
        const search = text(call.args["old_str"]);
        const replace = text(call.args["new_str"]) ?? "";
        if (!current) drop("the file was never shown whole");
        else if (!call.observation.includes("has been edited")) {
          drop("the original tool refused it");
          close(path);
        } else if (search === null) {
          drop("no search text");
          close(path);
        } else {
          const after = strictEdit(current.state, search, replace);
          if (after === null || !agrees(after, call.observation)) {
            drop("the rebuilt file does not agree with the original tool's snippet");
            close(path);
          } else {
            current.edits.push({ step: call.step, search, replace });
            current.state = after;
          }
        }
      } else if (command === "insert" || command === "undo_edit") {
        // Not replayed (no search text): the file's edits end here.
        close(path);
      }
    }
    for (const path of [...open.keys()]) close(path);
  }
}

/** The lines of `base` that a search or replacement (or a drifted form of it) could match or touch. */
function needed(base: string, edits: Sequence["edits"]): string {
  const pieces = edits.flatMap((e) => [e.search, e.replace]);
  const keep = (line: string) =>
    pieces.some((piece) => {
      const parts = piece.split("\n");
      return parts.some(
        (p, i) =>
          (p !== "" &&
            (i === 0
              ? line.endsWith(p)
              : i === parts.length - 1
                ? line.startsWith(p)
                : line === p)) ||
          (parts.length === 1 && p !== "" && line.includes(p)) ||
          (canonicalLine(p) !== "" && canonicalLine(p) === canonicalLine(line)) ||
          line.trim() === "",
      );
    });
  const lines = base.split("\n");
  const out: string[] = [];
  let skipped = 0;
  lines.forEach((line, i) => {
    if (keep(line) || i === lines.length - 1) {
      if (skipped > 0) out.push(PLACEHOLDER(skipped));
      skipped = 0;
      out.push(line);
    } else skipped += 1;
  });
  return out.join("\n");
}

/** The same answers on the whole file and on its kept lines, for every edit and drifted form. */
function sameAnswers(whole: string, kept: string, edits: Sequence["edits"]): boolean {
  let a = whole;
  let b = kept;
  for (const edit of edits) {
    for (const variant of [edit, ...DRIFTS.map((d) => drifted(edit, d))]) {
      if (!variant) continue;
      const x = editText(a, [variant]);
      const y = editText(b, [variant]);
      if (x.kind !== y.kind) return false;
      if (
        x.kind === "done" &&
        y.kind === "done" &&
        JSON.stringify(x.edits.map((e) => e.kind)) !== JSON.stringify(y.edits.map((e) => e.kind))
      )
        return false;
      if (
        (strictEdit(a, variant.search, variant.replace) === null) !==
        (strictEdit(b, variant.search, variant.replace) === null)
      )
        return false;
    }
    a = strictEdit(a, edit.search, edit.replace) ?? a;
    b = strictEdit(b, edit.search, edit.replace) ?? b;
  }
  return true;
}

const rows: string[] = [];
for (const s of sequences) {
  if ([...s.edits.flatMap((e) => [e.search, e.replace]), s.base].some((t) => t.includes("⟪")))
    throw new Error(`${s.trajectory} ${s.path}: holds the placeholder mark`);
  const base = needed(s.base, s.edits);
  if (!sameAnswers(s.base, base, s.edits))
    throw new Error(
      `${s.trajectory} ${s.path}: the kept lines answer differently from the whole file`,
    );
  rows.push(
    JSON.stringify({
      source: s.source,
      trajectory: s.trajectory,
      path: s.path,
      from: s.from,
      base,
      edits: s.edits,
    }),
  );
}
writeFileSync(values.out, `${rows.join("\n")}\n`);
const kept = sequences.reduce((n, s) => n + s.edits.length, 0);
console.error(
  `${seen} str_replace calls, ${kept} kept in ${sequences.length} files; left out: ${JSON.stringify(dropped)}`,
);
