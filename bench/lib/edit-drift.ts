/**
 * For `bench:edits` and its extraction script: the edit tool as it was before src/core/edit/
 * (an exact unique match on the raw text), and the whitespace drift a model's copy of a search
 * text is known to have, applied to a real edit that landed.
 */

/** Today's strict matcher (src/engine/agents/tools.ts before this bench): the text or null. */
export function strictEdit(text: string, search: string, replace: string): string | null {
  if (text.split(search).length - 1 !== 1) return null;
  return text.replace(search, () => replace);
}

export type Drift = "dedent" | "indent" | "trailing" | "spacing";
export const DRIFTS: readonly Drift[] = ["dedent", "indent", "trailing", "spacing"];

/**
 * `edit` as a model that drifted would send it, or null when this drift does not change it:
 * - `dedent`: the block copied without its common indentation (search and replacement alike);
 * - `indent`: the block indented 4 spaces deeper than the file has it (both alike);
 *   as an editor shifts a block, lines of spaces move with it and empty lines stay empty;
 * - `trailing`: a space after every line of the search;
 * - `spacing`: the first run of spaces inside each line of the search doubled.
 */
export function drifted(
  edit: { readonly search: string; readonly replace: string },
  drift: Drift,
): { search: string; replace: string } | null {
  const lines = edit.search.split("\n");
  const out = (search: string, replace = edit.replace) =>
    search === edit.search ? null : { search, replace };
  switch (drift) {
    case "dedent": {
      const common = commonIndent([...lines, ...edit.replace.split("\n")]);
      if (common === "") return null;
      const strip = (text: string) =>
        text
          .split("\n")
          .map((l) => (l.startsWith(common) ? l.slice(common.length) : l))
          .join("\n");
      return out(strip(edit.search), strip(edit.replace));
    }
    case "indent": {
      const deeper = (text: string) =>
        text
          .split("\n")
          .map((l) => (l === "" ? l : `    ${l}`))
          .join("\n");
      return out(deeper(edit.search), deeper(edit.replace));
    }
    case "trailing":
      return out(lines.map((l) => (l.trim() === "" ? l : `${l} `)).join("\n"));
    case "spacing":
      return out(lines.map((l) => l.replace(/(\S) (?=\S)/, "$1  ")).join("\n"));
  }
}

function commonIndent(lines: readonly string[]): string {
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)?.[0] ?? "");
  let common = indents[0] ?? "";
  for (const indent of indents) while (!indent.startsWith(common)) common = common.slice(0, -1);
  return common;
}
