import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Git } from "../../src/adapters/git/git.ts";
import type { RepoConfig } from "../../src/config/schema.ts";
import type { Cassette } from "../../src/providers/replay/cassette.ts";
import { demoTask, fastGate, harness } from "./harness.ts";

/**
 * The demo task through the implementer's tool loop on the demo's repository (real git), with
 * some of its files rewritten (or added) and committed first, the way other repositories have
 * them. `answered(step, turn)` is what the model was sent after that turn: its tool results.
 */
export async function runWith(
  files: Record<string, string>,
  cassette: Cassette,
  options: { readonly config?: (config: RepoConfig) => RepoConfig } = {},
) {
  const h = await harness(cassette);
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(h.repo, path)), { recursive: true });
    await writeFile(join(h.repo, path), content);
  }
  const git = new Git({ cwd: h.repo });
  await git.run(["add", "-A"]);
  if (Object.keys(files).length > 0)
    await git.run([
      "-c",
      "user.name=Sample Maintainer",
      "-c",
      "user.email=maintainer@example.com",
      "commit",
      "--quiet",
      "-m",
      "the repository as found",
    ]);
  const gated = await fastGate(h.repo);
  const host = await h.host({ config: options.config ? options.config(gated) : gated });
  const task = await demoTask();
  await host.engine.start(task);
  const doc = await host.engine.run(task.id);
  const show = (path: string, at = doc.branch) => git.output(["show", `${at}:${path}`]);
  /** What the model was answered in the turn after `turn` of `step`'s first attempt. */
  const answered = (step: string, turn: number, role = "implementer") =>
    JSON.stringify(
      h.replay.requests
        .find(
          (r) =>
            r.tag.role === role &&
            r.tag.step === step &&
            r.tag.attempt === 1 &&
            r.tag.turn === turn + 1,
        )
        ?.messages.at(-1),
    );
  return { h, doc, show, answered };
}
