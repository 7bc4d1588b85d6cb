/**
 * Replicas take turns sweeping an installation. Time is cut into turns as long as a task's lease;
 * whoever first creates the ref named for the current turn sweeps that installation until the
 * turn ends, and the others leave it alone. Each installation's turns start at their own phase,
 * so the first replica to sweep after a turn starts, and so the load, differs by installation.
 */

/** Where turn refs live in the lease repository (under `refs/`, never a branch or a tag). */
export const TURN_REF_PREFIX = "orchestrator/sweep/";

/** The turn `now` falls in for this installation, with turns `turnMs` long. */
export function sweepTurn(installation: number, now: number, turnMs: number): number {
  // A fixed multiplicative hash: every replica computes the same phase for an installation.
  const phase = Math.floor(((Math.imul(installation, 0x9e3779b1) >>> 0) / 2 ** 32) * turnMs);
  return Math.floor((now + phase) / turnMs);
}

/** The ref (without `refs/`) whose creation claims a turn. */
export function turnRef(turn: number): string {
  return `${TURN_REF_PREFIX}${String(turn)}`;
}

/** The turn a listed ref claims, or null for a ref that is not a turn's. */
export function turnOfRef(ref: string): number | null {
  const match = /^(?:refs\/)?orchestrator\/sweep\/(\d{1,15})$/.exec(ref);
  return match ? Number(match[1]) : null;
}

/**
 * Whether a listed turn ref keeps a replica at `turn` from sweeping: only the current turn's and
 * the next one's (a replica whose clock runs ahead). A ref further ahead is no replica's: anyone
 * with write access could plant `orchestrator/sweep/<far future>` and stop every sweep.
 */
export function takesTurn(ref: string, turn: number): boolean {
  const of = turnOfRef(ref);
  return of === turn || of === turn + 1;
}

/** The refs of turns the holder of `turn` removes: earlier ones, and any past the next turn. */
export function pastTurnRefs(refs: readonly string[], turn: number): string[] {
  return refs.filter((ref) => {
    const of = turnOfRef(ref);
    return of !== null && (of < turn || of > turn + 1);
  });
}

/**
 * The installation's repository that holds its turn refs: the one with the lowest id that is not
 * archived (read-only), which every replica picks from the same list. Adding, removing or
 * archiving repositories may move it once; two replicas then sweep for a turn, which costs
 * requests, not correctness.
 */
export function turnRepository<
  R extends { readonly id: number; readonly archived?: boolean | undefined },
>(repos: readonly R[]): R | null {
  let lowest: R | null = null;
  for (const repo of repos)
    if (repo.archived !== true && (!lowest || repo.id < lowest.id)) lowest = repo;
  return lowest;
}
