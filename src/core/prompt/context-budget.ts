/** One repository file offered as context, with its size in tokens. */
export interface ContextFile {
  readonly path: string;
  readonly body: string;
  readonly tokens: number;
}

export interface FittedContext {
  readonly kept: readonly ContextFile[];
  readonly dropped: readonly ContextFile[];
}

/** Share of a model's window (after its output allowance) the repository context may take. */
const WINDOW_SHARE = 0.5;
/** The most context any prompt carries, whatever the window: more costs on every turn. */
const CONTEXT_CAP_TOKENS = 16_000;

/** Tokens of repository context a model may be given, with a margin for the rest of the prompt and the tool turns. */
export function contextBudget(model: {
  readonly contextWindow: number;
  readonly maxOutputTokens: number;
}): number {
  const room = Math.max(0, model.contextWindow - model.maxOutputTokens);
  return Math.min(CONTEXT_CAP_TOKENS, Math.floor(room * WINDOW_SHARE));
}

/**
 * Fits context files, most relevant first, into a token budget: the least relevant are dropped
 * first until the rest fits. The order of the kept files is the order given, so a task's
 * context reads the same in every prompt that fits it.
 */
export function fitContext(files: readonly ContextFile[], budgetTokens: number): FittedContext {
  const kept = [...files];
  const dropped: ContextFile[] = [];
  let total = kept.reduce((sum, f) => sum + f.tokens, 0);
  while (total > budgetTokens && kept.length > 0) {
    const least = kept.pop() as ContextFile;
    dropped.unshift(least);
    total -= least.tokens;
  }
  return { kept, dropped };
}
