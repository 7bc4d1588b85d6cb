import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * Points `os.tmpdir()` at a fresh folder for the rest of this bench run and removes it when the
 * process exits, so the clones and repositories a bench makes do not pile up in /tmp.
 */
export function useTempRoot(): void {
  const root = mkdtempSync(join(tmpdir(), "orchestrator-bench-"));
  process.env["TMPDIR"] = root;
  process.on("exit", () => {
    rmSync(root, { recursive: true, force: true });
  });
}
