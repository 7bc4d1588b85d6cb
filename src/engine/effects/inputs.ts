import { ToolRefusedError } from "../../core/errors.ts";
import { pathRefusal } from "../../core/policy/paths.ts";
import type { TaskDocument } from "../../core/task/document.ts";
import { contextBudget, fitContext, type ContextFile } from "../../core/prompt/context-budget.ts";
import type { Role } from "../../core/vocabulary/roles.ts";
import { callCandidates } from "../../core/routing/candidates.ts";
import { textTokens, tokenFactor } from "../calls/tokens.ts";
import type { RunnerContext } from "./runner-context.ts";
import type { WorkTree } from "../../ports/workspace.ts";

const MAX_CONTEXT_FILE = 20_000;

/** How much repository context a prompt may carry, in tokens, and how to count them. */
export interface ContextLimit {
  readonly budgetTokens: number;
  readonly countTokens: (text: string) => number;
  /** Named in the note on what was left out. */
  readonly model: string;
}

/** The context limit of the model that will answer a role's call. */
export function contextLimitFor(
  ctx: Pick<RunnerContext, "registry" | "settings">,
  doc: TaskDocument,
  role: Role,
  step: string | null = null,
): ContextLimit {
  const model = callCandidates(doc, role, step)[0] ?? "";
  const info = ctx.registry.models.get(model);
  const factor = tokenFactor(info?.provider ?? "");
  return {
    model,
    budgetTokens: contextBudget({
      contextWindow: info?.contextWindow ?? 0,
      maxOutputTokens: ctx.settings.maxOutputTokens,
    }),
    countTokens: (text) => Math.ceil(textTokens(text) * factor),
  };
}

/** Repository files as one block of text for a prompt, and the tokens it takes. */
export interface ContextBlock {
  readonly text: string;
  readonly tokens: number;
}

/**
 * Files as one block of text: each bounded in size, then fitted to the model's window (the
 * least relevant, last listed, dropped first), saying what was left out. `empty` is the text
 * when there is no file to show.
 */
export async function contextFiles(
  tree: Pick<WorkTree, "readFile">,
  paths: readonly string[],
  limit: ContextLimit,
  empty = "(no context files)",
  read: (path: string) => Promise<string | null> = (path) => tree.readFile(path),
): Promise<ContextBlock> {
  const files: ContextFile[] = [];
  for (const path of new Set(paths)) {
    // A path the implementer could not read is not read for it here either.
    const refusal = pathRefusal(path, { write: false, protectedPaths: [] });
    const text = refusal
      ? null
      : await read(path).catch((error: unknown) => {
          if (error instanceof ToolRefusedError) return null;
          throw error;
        });
    const body =
      refusal !== null
        ? `(not read: ${refusal})`
        : text === null
          ? "(file does not exist or cannot be read)"
          : text.length > MAX_CONTEXT_FILE
            ? `${text.slice(0, MAX_CONTEXT_FILE)}\n… (truncated)`
            : text;
    files.push({ path, body, tokens: limit.countTokens(body) });
  }
  const { kept, dropped } = fitContext(files, limit.budgetTokens);
  const parts = kept.map((f) => `--- ${f.path} ---\n${f.body}`);
  if (dropped.length > 0)
    parts.push(
      `(left out to fit ${limit.model}'s context window, least relevant first: ${dropped.map((f) => `${f.path} (~${f.tokens} tokens)`).join(", ")}; read them with read_file if needed)`,
    );
  return { text: parts.join("\n\n") || empty, tokens: kept.reduce((n, f) => n + f.tokens, 0) };
}

export function taskInputs(doc: TaskDocument): Record<string, string> {
  const d = doc.definition;
  return {
    goal: d.goal,
    risk: d.risk,
    area: d.area,
    complexity: d.complexity,
    constraints:
      d.constraints.length > 0 ? d.constraints.map((c) => `- ${c}`).join("\n") : "(none)",
  };
}

export function planText(doc: TaskDocument): string {
  return JSON.stringify(doc.plan, null, 2);
}
