import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * The repository a folder is in, as git finds it: the nearest folder at or above `start` that
 * holds `.git` (a folder, or a file in a work tree or submodule). `start` itself when none does,
 * so a folder that is not in a repository is reported as before.
 */
export function repositoryRoot(start: string): string {
  const from = resolve(start);
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return from;
  }
}
