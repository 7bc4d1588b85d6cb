import type { Effort } from "../models/effort.ts";

/**
 * A learning arm's id: the model, or the model at an effort level (`anthropic/claude-sonnet-5-5
 * at low`). A call at the model's default level and a call that named none are the same arm
 * (the vendors' pages: sending the default is the same as sending nothing), so the default level
 * has the model's plain id and older records count for it. Model references hold no spaces.
 */
export function armId(
  model: string,
  effort: Effort | null | undefined,
  byDefault?: Effort,
): string {
  return effort && effort !== byDefault ? `${model} at ${effort}` : model;
}

/** The model of an arm id. */
export function armModel(id: string): string {
  const at = id.indexOf(" at ");
  return at < 0 ? id : id.slice(0, at);
}
