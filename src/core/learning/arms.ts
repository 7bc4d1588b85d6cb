import type { Effort } from "../vocabulary/effort.ts";

/**
 * The arm of a model at one effort level (`anthropic/claude-sonnet-5-5 at low`). A model's own
 * arm (its reference) pools every level; its level arms split that evidence by the level the
 * calls ran at, for the second choice: which level of the chosen model. Model references hold
 * no spaces.
 */
export function levelArm(model: string, effort: Effort): string {
  return `${model} at ${effort}`;
}

/** The model of an arm id: itself for a model's own arm. */
export function armModel(id: string): string {
  const at = id.indexOf(" at ");
  return at < 0 ? id : id.slice(0, at);
}

/** Whether an arm id is a level arm (not a model's own). */
export function isLevelArm(id: string): boolean {
  return id.includes(" at ");
}
