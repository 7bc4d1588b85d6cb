import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InvalidInputError } from "../core/errors.ts";

/**
 * The repository a folder is in, as git finds it: the nearest folder at or above `start` that
 * holds `.git` (a folder, or a file in a work tree or submodule). A folder that does not exist, or
 * that is in no repository, is refused naming `--working-dir`: every command works on a repository.
 */
export function repositoryRoot(start: string): string {
  const found = repositoryAround(start);
  if (found === undefined)
    throw workingDir(`${resolve(start)} is not in a git repository (run \`git init\` there first)`);
  return found;
}

/** The repository around `start`, else `start` itself: for `models`, which needs no repository. */
export function repositoryOrFolder(start: string): string {
  return repositoryAround(start) ?? resolve(start);
}

function repositoryAround(start: string): string | undefined {
  const from = resolve(start);
  if (!isFolder(from)) throw workingDir(`${from} is not a folder`);
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, ".git"))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function workingDir(message: string): InvalidInputError {
  return new InvalidInputError("--working-dir", [{ path: "--working-dir", message }]);
}
