import { rm } from "node:fs/promises";
import { join } from "node:path";
import { Git } from "../../adapters/git/git.ts";
import { worktreesOf } from "../../adapters/local/worktree-home.ts";
import { InvalidInputError } from "../../core/errors.ts";
import type { Output } from "../output.ts";

/** `clean-state --force`: forgets every task (state, logs, work trees). Task branches are kept. */
export async function cleanState(
  workingDir: string,
  force: boolean,
  output: Output,
): Promise<number> {
  if (!force)
    throw new InvalidInputError("clean-state", [
      { path: "--force", message: "this deletes all task state; pass --force to confirm" },
    ]);
  const dir = join(workingDir, ".orchestrator");
  for (const sub of ["state", "runs", "comments", "worktrees", "ORCHESTRATOR_RUN_LOG.md"])
    await rm(join(dir, sub), { recursive: true, force: true });
  await rm(await worktreesOf(workingDir), { recursive: true, force: true });
  await new Git({ cwd: workingDir }).run(["worktree", "prune"]);
  output.emit({ cleaned: dir }, () => `removed task state under ${dir} (branches are kept)`);
  return 0;
}
