import { matchingGlob } from "../text/glob.ts";

/**
 * Why the implementer may not touch `path`, or null when it may. Paths are repository-relative;
 * anything that could leave the work tree or reach git's own files is refused, and so is a write
 * to a protected path.
 */
export function pathRefusal(
  path: string,
  options: { readonly write: boolean; readonly protectedPaths: readonly string[] },
): string | null {
  if (typeof path !== "string" || path.length === 0) return "a path is required";
  if (path.length > 500) return "path is too long";
  if (path.includes("\0")) return "path contains a NUL character";
  if (path.includes("\\")) return "use forward slashes";
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path) || path.startsWith("~"))
    return "absolute paths are not allowed";
  const segments = path.split("/");
  if (segments.includes("..")) return "'..' is not allowed";
  if (segments.some((s) => s.toLowerCase() === ".git")) return ".git is off limits";
  if (options.write) {
    const glob = matchingGlob(path, options.protectedPaths);
    if (glob !== undefined) return `${path} is protected (${glob})`;
  }
  return null;
}

/** The changed files that touch a protected path. */
export function protectedChanges(
  files: readonly string[],
  protectedPaths: readonly string[],
): string[] {
  return files.filter((f) => matchingGlob(f, protectedPaths) !== undefined);
}

export const DEFAULT_PROTECTED_PATHS: readonly string[] = [
  ".github/**",
  "CODEOWNERS",
  ".orchestrator/**",
  ".gitmodules",
];
