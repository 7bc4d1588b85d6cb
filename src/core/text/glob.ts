/**
 * Matches repository paths against gitignore-like globs: `*` within a segment, `**` across
 * segments, `?` one character; a pattern without a slash matches the name at any depth.
 */
export function matchesGlob(path: string, pattern: string): boolean {
  return toRegExp(pattern).test(path.replace(/^\.\//, ""));
}

export function matchingGlob(path: string, patterns: readonly string[]): string | undefined {
  return patterns.find((p) => matchesGlob(path, p));
}

const cache = new Map<string, RegExp>();

function toRegExp(pattern: string): RegExp {
  const cached = cache.get(pattern);
  if (cached) return cached;
  let glob = pattern.replace(/^\.\//, "");
  if (glob.endsWith("/")) glob += "**";
  const anchored = glob.includes("/");
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob.charAt(i);
    if (c === "*" && glob[i + 1] === "*") {
      const slash = glob[i + 2] === "/";
      source += slash ? "(?:.*/)?" : ".*";
      i += slash ? 2 : 1;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  const re = new RegExp(`^${anchored ? "" : "(?:.*/)?"}${source}(?:/.*)?$`);
  cache.set(pattern, re);
  return re;
}
