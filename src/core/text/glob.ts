import picomatch from "picomatch";
import { stripInvisible } from "./invisible.ts";

/**
 * A repository path in the one spelling protected-path rules are matched against: Unicode NFKC,
 * invisible characters removed, case folded, `\`, `./` and `//` collapsed, no leading slash.
 * Two spellings that can name the same file on some system match the same rules.
 */
export function normalizePath(path: string): string {
  return stripInvisible(path.normalize("NFKC"))
    .toLowerCase()
    .replace(/\\/g, "/")
    .split("/")
    .filter((s) => s !== "" && s !== ".")
    .join("/");
}

const cache = new Map<string, (path: string) => boolean>();

/**
 * Whether a repository path falls under a gitignore-like glob (picomatch syntax: `*`, `**`, `?`,
 * `[…]`, `{a,b}`): a pattern without a slash (or a leading one) matches a name at any depth, and a path matches when it or any of its parent folders does.
 */
export function matchesGlob(path: string, pattern: string): boolean {
  const test = matcher(pattern);
  const segments = normalizePath(path).split("/");
  for (let i = 1; i <= segments.length; i++) if (test(segments.slice(0, i).join("/"))) return true;
  return false;
}

export function matchingGlob(path: string, patterns: readonly string[]): string | undefined {
  return patterns.find((p) => matchesGlob(path, p));
}

function matcher(pattern: string): (path: string) => boolean {
  let test = cache.get(pattern);
  if (!test) {
    const glob = normalizePath(pattern);
    const anchored = glob.includes("/") || /^\.?\//.test(pattern.trim());
    test = picomatch(glob, { dot: true, nocase: true, basename: !anchored });
    cache.set(pattern, test);
  }
  return test;
}
