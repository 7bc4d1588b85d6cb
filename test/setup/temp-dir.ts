import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Every temporary folder a test makes lives under one folder per run, removed at the end: no
 * test can leave one behind, whatever it forgets or however it fails.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), "orchestrator-tests-"));
  const previous = process.env["TMPDIR"];
  process.env["TMPDIR"] = root;
  return async () => {
    if (previous === undefined) delete process.env["TMPDIR"];
    else process.env["TMPDIR"] = previous;
    await rm(root, { recursive: true, force: true });
  };
}
