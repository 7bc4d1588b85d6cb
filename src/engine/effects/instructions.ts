import { renderInstructions } from "../../core/instructions/render.ts";
import {
  instructionsFor,
  isInstructionPath,
  sortInstructions,
  type Instructions,
} from "../../core/instructions/select.ts";
import type { TaskDocument } from "../../core/task/document.ts";
import type { WorkTree } from "../../ports/workspace.ts";

/**
 * Tokens the repository-wide files may take in every prompt (its cached part), and the files
 * scoped to one step's files (its step part). AGENTS.md files seen in the wild are mostly
 * under 2,000 tokens (this repository's is ~5,500, cut here).
 */
export const INSTRUCTION_TOKENS = 3_000;
export const STEP_INSTRUCTION_TOKENS = 1_500;

const NONE =
  "(none: the repository has no AGENTS.md, CLAUDE.md, GEMINI.md or Copilot instructions)";
const NO_BASE =
  "(not read: the task has no base commit, and the task branch's own files are never read as its instructions)";
const NO_STEP = "(none beyond the repository-wide ones)";

/**
 * The maintainers' instruction files as they are at the task's base commit (the default
 * branch when the task started), never the task branch: a step must not write the
 * instructions of the next one. Null when the task has no base commit.
 */
export async function repositoryInstructions(
  tree: Pick<WorkTree, "filesAt" | "readAt">,
  doc: Pick<TaskDocument, "baseCommit">,
): Promise<Instructions | null> {
  const base = doc.baseCommit;
  if (base === null) return null;
  const paths = (await tree.filesAt(base)).map((f) => f.path).filter(isInstructionPath);
  const files = await Promise.all(
    paths.map(async (path) => ({ path, text: (await tree.readAt(base, path)) ?? "" })),
  );
  return sortInstructions(files);
}

/** The repository-wide files: the same in every prompt of a task. */
export function wideConventions(
  found: Instructions | null,
  countTokens: (text: string) => number,
): string {
  if (found === null) return NO_BASE;
  return renderInstructions(found.wide, INSTRUCTION_TOKENS, countTokens, NONE);
}

/** The scoped files (nested AGENTS.md, `.instructions.md` with `applyTo`) for a step's files. */
export function stepConventions(
  found: Instructions | null,
  files: readonly string[],
  countTokens: (text: string) => number,
): string {
  if (found === null) return NO_BASE;
  return renderInstructions(
    instructionsFor(found.scoped, files),
    STEP_INSTRUCTION_TOKENS,
    countTokens,
    NO_STEP,
  );
}

/** Every file, repository-wide first then scoped, for the planner who does not know the files yet. */
export function allConventions(
  found: Instructions | null,
  countTokens: (text: string) => number,
): string {
  if (found === null) return NO_BASE;
  return renderInstructions(
    [...found.wide, ...found.scoped],
    INSTRUCTION_TOKENS + STEP_INSTRUCTION_TOKENS,
    countTokens,
    NONE,
  );
}
