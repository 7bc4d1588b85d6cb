import { createHash } from "node:crypto";
import { realpath } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, isAbsolute, join, resolve } from "node:path";

export interface CacheEnvironment {
  readonly env: NodeJS.ProcessEnv;
  readonly platform: NodeJS.Platform;
  readonly home: string;
}

const thisHost = (): CacheEnvironment => ({
  env: process.env,
  platform: process.platform,
  home: homedir(),
});

/** The user's cache folder: `$XDG_CACHE_HOME`, else the platform's (`~/.cache` on Linux). */
export function cacheHome(host: CacheEnvironment = thisHost()): string {
  const xdg = host.env["XDG_CACHE_HOME"];
  if (xdg && isAbsolute(xdg)) return xdg;
  if (host.platform === "darwin") return join(host.home, "Library", "Caches");
  const local = host.env["LOCALAPPDATA"];
  if (host.platform === "win32" && local) return local;
  return join(host.home, ".cache");
}

/**
 * Where a repository's task work trees live: `<cache>/orchestrator/worktrees/<name>-<hash of its
 * real path>`, outside the repository, so the user's own test runner, linter and editor never
 * collect our copies of their code.
 */
export async function worktreesOf(
  repository: string,
  host: CacheEnvironment = thisHost(),
): Promise<string> {
  // A folder that does not exist is refused later, by whoever needs it, with a better message.
  const real = await realpath(repository).catch(() => resolve(repository));
  const hash = createHash("sha256").update(real).digest("hex").slice(0, 12);
  return join(cacheHome(host), "orchestrator", "worktrees", `${basename(real)}-${hash}`);
}
