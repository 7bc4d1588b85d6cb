import { parsePatch } from "diff";

export interface ChangedLine {
  /** Line number in the new file (added lines) or the old file (removed lines). */
  readonly line: number;
  readonly text: string;
}

/** One file of a unified diff: its path, what happened to it, its added and removed lines. */
export interface FileChange {
  readonly path: string;
  readonly status: "added" | "deleted" | "modified" | "renamed";
  readonly added: readonly ChangedLine[];
  readonly removed: readonly ChangedLine[];
}

/** A `git diff` of two commits as its files' changes (jsdiff reads the git headers). */
export function parseDiff(diff: string): FileChange[] {
  if (!diff.trim()) return [];
  return parsePatch(diff).map((file) => {
    const oldPath = stripPrefix(file.oldFileName);
    const newPath = stripPrefix(file.newFileName);
    const added: ChangedLine[] = [];
    const removed: ChangedLine[] = [];
    for (const hunk of file.hunks) {
      let oldLine = hunk.oldStart;
      let newLine = hunk.newStart;
      for (const line of hunk.lines) {
        if (line.startsWith("+")) added.push({ line: newLine++, text: line.slice(1) });
        else if (line.startsWith("-")) removed.push({ line: oldLine++, text: line.slice(1) });
        else if (line.startsWith(" ")) {
          oldLine++;
          newLine++;
        }
      }
    }
    const status =
      oldPath === null
        ? "added"
        : newPath === null
          ? "deleted"
          : oldPath !== newPath
            ? "renamed"
            : "modified";
    return { path: newPath ?? oldPath ?? "", status, added, removed };
  });
}

function stripPrefix(name: string | undefined): string | null {
  if (!name || name === "/dev/null") return null;
  return name.replace(/^[ab]\//, "");
}
