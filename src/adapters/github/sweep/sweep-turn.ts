import { z } from "zod";
import { pastTurnRefs, takesTurn, TURN_REF_PREFIX, turnRef } from "../../../core/sweep/turns.ts";
import { statusOf, type GitHub, type RepoRef } from "../api/client.ts";
import { GitRef } from "../api/responses.ts";

/**
 * Claims an installation's sweep turn by creating the turn's ref in `repo`; GitHub creates a ref
 * once, so one replica gets it. The holder then removes other turns' refs. A turn already
 * claimed, or the next one (a replica whose clock runs ahead), is "taken"; a ref further ahead
 * claims nothing (`takesTurn`). Anything else GitHub
 * refuses throws: the caller then sweeps anyway, since sweeping twice only costs requests.
 */
export async function claimTurn(
  github: GitHub,
  repo: RepoRef,
  defaultBranch: string,
  turn: number,
): Promise<"mine" | "taken"> {
  const listed = z
    .array(GitRef)
    .parse((await github.rest.git.listMatchingRefs({ ...repo, ref: TURN_REF_PREFIX })).data);
  if (listed.some((r) => takesTurn(r.ref, turn))) return "taken";
  // A ref must point at an object: an earlier turn's, else the default branch's head.
  const sha =
    listed[0]?.object.sha ??
    GitRef.parse((await github.rest.git.getRef({ ...repo, ref: `heads/${defaultBranch}` })).data)
      .object.sha;
  try {
    await github.rest.git.createRef({ ...repo, ref: `refs/${turnRef(turn)}`, sha });
  } catch (error) {
    if (statusOf(error) === 422 && isAlreadyThere(error)) return "taken";
    throw error;
  }
  for (const ref of pastTurnRefs(
    listed.map((r) => r.ref),
    turn,
  ))
    await github.rest.git
      .deleteRef({ ...repo, ref: ref.replace(/^refs\//, "") })
      // Another holder may have removed it first.
      .catch((error: unknown) => {
        if (statusOf(error) !== 422 && statusOf(error) !== 404) throw error;
      });
  return "mine";
}

function isAlreadyThere(error: unknown): boolean {
  return error instanceof Error && /already exists/i.test(error.message);
}
