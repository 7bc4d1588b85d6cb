import { lstat, realpath } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { ToolRefusedError } from "../../core/errors.ts";
import { isGitName } from "../../core/policy/paths.ts";

/**
 * The real location of `path` inside the work tree `root`, after resolving the symbolic links
 * of the target and of every parent. Refused, whatever the spelling: anything that resolves
 * outside the tree, into a git directory (`.git` at any depth, or one of `gitDirs`), or through
 * a name git treats as `.git` on some file system.
 */
export async function resolveInside(
  root: string,
  path: string,
  gitDirs: readonly string[] = [],
): Promise<string> {
  const realRoot = await realpath(root);
  const target = resolve(realRoot, path);
  checkLexically(realRoot, target, path);
  // The longest prefix that exists is resolved by the file system; the rest cannot hold links.
  let existing = target;
  while (!(await exists(existing))) existing = dirname(existing);
  const real = await realpath(existing).catch(() => {
    throw new ToolRefusedError(`${path} goes through a symbolic link that leads nowhere`);
  });
  const resolved = join(real, relative(existing, target));
  if (!isWithin(realRoot, resolved))
    throw new ToolRefusedError(`${path} leads outside the work tree through a symbolic link`);
  if (relative(realRoot, resolved).split(sep).some(isGitName))
    throw new ToolRefusedError(`${path} leads into git's own files through a symbolic link`);
  for (const gitDir of gitDirs) {
    const realGit = await realpath(gitDir).catch(() => gitDir);
    if (isWithin(realGit, resolved))
      throw new ToolRefusedError(`${path} leads into git's own files`);
  }
  return resolved;
}

function checkLexically(root: string, target: string, path: string): void {
  if (!isWithin(root, target)) throw new ToolRefusedError(`${path} is outside the work tree`);
  if (relative(root, target).split(sep).some(isGitName))
    throw new ToolRefusedError(`${path} is inside git's own files`);
}

function isWithin(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === "" || (rel !== ".." && !rel.startsWith(`..${sep}`) && !rel.startsWith(sep));
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
