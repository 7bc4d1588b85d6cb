import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Points `os.tmpdir()` and the cache folder (where the CLI host keeps work trees) at a fresh folder
 * for the rest of this bench run and removes it when the process exits, so the clones,
 * repositories and work trees a bench makes do not pile up in /tmp or ~/.cache.
 */
export function useTempRoot(): void {
  const root = mkdtempSync(join(tmpdir(), "orchestrator-bench-"));
  process.env["TMPDIR"] = root;
  process.env["XDG_CACHE_HOME"] = join(root, "cache");
  process.on("exit", () => {
    rmSync(root, { recursive: true, force: true });
  });
}
