import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Every temporary folder a test makes lives under one folder per run, removed at the end: no
 * test can leave one behind, whatever it forgets or however it fails. The cache folder, where the
 * CLI keeps task work trees, is under it too.
 */
export default async function setup(): Promise<() => Promise<void>> {
  const root = await mkdtemp(join(tmpdir(), "orchestrator-tests-"));
  const previous = { TMPDIR: process.env["TMPDIR"], XDG_CACHE_HOME: process.env["XDG_CACHE_HOME"] };
  process.env["TMPDIR"] = root;
  process.env["XDG_CACHE_HOME"] = join(root, "cache");
  return async () => {
    for (const [name, value] of Object.entries(previous))
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    await rm(root, { recursive: true, force: true });
  };
}
