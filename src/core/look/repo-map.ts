/** One file of the map: its path and, for a file whose language is read, its top-level symbols. */
export interface MapFile {
  readonly path: string;
  /** Null: not read (another language, too large, or does not parse). */
  readonly symbols: readonly string[] | null;
}

/** How a map was fitted to its budget: what it shows, for the prompt and for measuring. */
export interface RepoMap {
  readonly text: string;
  readonly tokens: number;
  /** `symbols`: every file with its symbols; `some symbols`: up to SHORT per file; `files`: paths only; `folders N`: files below depth N as counts. */
  readonly detail: string;
}

const SHORT = 4;

/**
 * The repository as an indented tree with each file's top-level symbols, in as much detail as
 * fits `budgetTokens`: all symbols, then the first few per file, then paths only, then folders
 * collapsed from the deepest up into file counts. Deterministic in its input (files in path
 * order), so the same tree gives the same map, byte for byte, in every prompt of a task.
 */
export function repoMap(
  files: readonly MapFile[],
  budgetTokens: number,
  countTokens: (text: string) => number,
): RepoMap {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const depth = Math.max(1, ...sorted.map((f) => f.path.split("/").length - 1));
  const tries: { detail: string; render: () => string }[] = [
    { detail: "symbols", render: () => render(sorted, Infinity, Infinity) },
    { detail: "some symbols", render: () => render(sorted, SHORT, Infinity) },
    { detail: "files", render: () => render(sorted, 0, Infinity) },
    ...Array.from({ length: depth }, (_, i) => ({
      detail: `folders ${depth - 1 - i}`,
      render: () => render(sorted, 0, depth - 1 - i),
    })),
  ];
  let last = { text: "", tokens: 0, detail: "" };
  for (const attempt of tries) {
    const text = `${sorted.length} files${attempt.detail === "symbols" ? "" : ` (${describe(attempt.detail)} to fit)`}:\n${attempt.render()}`;
    last = { text, tokens: countTokens(text), detail: attempt.detail };
    if (last.tokens <= budgetTokens) return last;
  }
  return last;
}

function describe(detail: string): string {
  if (detail === "some symbols") return `at most ${SHORT} symbols per file`;
  if (detail === "files") return "paths only";
  return "deeper folders as file counts";
}

/** The tree, `maxSymbols` per file, files deeper than `maxDepth` folders counted, not listed. */
function render(files: readonly MapFile[], maxSymbols: number, maxDepth: number): string {
  const out: string[] = [];
  let open: string[] = [];
  // The output line of each open folder, and files counted under the folder lines.
  let lineOf: number[] = [];
  const counts = new Map<number, number>();
  let counted = 0;
  for (const file of files) {
    const parts = file.path.split("/");
    const folders = parts.slice(0, -1);
    const shown = folders.slice(0, maxDepth);
    let same = 0;
    while (same < open.length && same < shown.length && open[same] === shown[same]) same += 1;
    lineOf = lineOf.slice(0, same);
    for (let i = same; i < shown.length; i++) {
      lineOf.push(out.length);
      out.push(`${"  ".repeat(i)}${shown[i] ?? ""}/`);
    }
    open = shown;
    if (folders.length > maxDepth) {
      const line = lineOf.at(-1);
      if (line === undefined) counted += 1;
      else counts.set(line, (counts.get(line) ?? 0) + 1);
      continue;
    }
    const symbols = file.symbols ?? [];
    const listed = symbols.slice(0, maxSymbols);
    const more = symbols.length - listed.length;
    const tail =
      listed.length > 0 ? `: ${listed.join(", ")}${more > 0 ? `, … ${more} more` : ""}` : "";
    out.push(`${"  ".repeat(folders.length)}${parts.at(-1) ?? ""}${tail}`);
  }
  for (const [line, n] of counts) out[line] = `${out[line] ?? ""} (${files_(n)} below)`;
  if (counted > 0) out.push(`(${files_(counted)} in folders)`);
  return out.join("\n");
}

const files_ = (n: number): string => `${n} file${n === 1 ? "" : "s"}`;
