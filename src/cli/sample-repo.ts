import { cp, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../config/package-root.ts";
import { Git } from "../adapters/git/git.ts";

export const DEMO_DIR = join(PACKAGE_ROOT, "demo");

/** Copies the demo's sample repository into a new temporary folder and makes it a git repository. */
export async function createSampleRepo(prefix = "orchestrator-demo-"): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await cp(join(DEMO_DIR, "sample-repo"), dir, { recursive: true });
  const when = "2026-01-01T00:00:00Z";
  const git = new Git({
    cwd: dir,
    env: {
      GIT_AUTHOR_NAME: "Sample Maintainer",
      GIT_AUTHOR_EMAIL: "maintainer@example.com",
      GIT_COMMITTER_NAME: "Sample Maintainer",
      GIT_COMMITTER_EMAIL: "maintainer@example.com",
      GIT_AUTHOR_DATE: when,
      GIT_COMMITTER_DATE: when,
    },
  });
  await git.run(["init", "--quiet", "--initial-branch=main"]);
  await git.run(["add", "-A"]);
  await git.run(["commit", "--quiet", "-m", "textkit: slugify"]);
  return dir;
}
