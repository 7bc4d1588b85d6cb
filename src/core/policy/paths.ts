import { z } from "zod";
import { matchingGlob, normalizePath } from "../text/glob.ts";

/**
 * Whether a path segment names git's own directory on some file system: `.git` in any case,
 * with trailing dots or spaces (Windows drops them), invisible characters (macOS ignores them)
 * or fullwidth letters, and the 8.3 short name `git~1`.
 */
export function isGitName(segment: string): boolean {
  const name = normalizePath(segment).replace(/[. ]+$/, "");
  return name === ".git" || /^git~\d+$/.test(name);
}

/** A path inside the repository: relative, no `..`, no absolute paths. */
export const RepoPath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(p), "must be a relative path")
  .refine((p) => !p.split(/[\\/]/).includes(".."), "must not contain '..'")
  .refine((p) => !p.split(/[\\/]/).some(isGitName), "must not be inside .git");

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
  if (segments.some(isGitName)) return ".git is off limits";
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

/**
 * Always protected: the repository's CI and review rules, our own files, and the configs of
 * tools that run code on checkout, install or commit. A change to any of them could disarm the
 * gate without a reviewer noticing, so it needs a person.
 */
export const DEFAULT_PROTECTED_PATHS: readonly string[] = [
  ".github/**",
  "CODEOWNERS",
  ".orchestrator/**",
  ".gitmodules",
  ".gitattributes",
  // other CI systems
  ".circleci/**",
  ".gitlab-ci.yml",
  ".gitlab/**",
  ".travis.yml",
  "azure-pipelines.yml",
  "Jenkinsfile",
  ".buildkite/**",
  ".drone.yml",
  "bitbucket-pipelines.yml",
  // hooks and tools that run on checkout, install or commit
  ".husky/**",
  ".githooks/**",
  ".pre-commit-config.yaml",
  ".pre-commit-hooks.yaml",
  "{.,}lefthook{,-local}.{yml,yaml,json,toml}",
  ".lefthook/**",
  ".npmrc",
  ".yarnrc",
  ".yarnrc.yml",
  ".pnpmfile.cjs",
  ".envrc",
  ".devcontainer/**",
  ".devcontainer.json",
  // editor files that run commands: VS Code runs a task with `runOn: folderOpen` when the
  // folder is opened, and launch configurations and settings name programs to start
  ".vscode/tasks.json",
  ".vscode/launch.json",
  ".vscode/settings.json",
  "*.code-workspace",
];

/** npm scripts that run on their own during install, pack or publish. */
export const LIFECYCLE_SCRIPTS: readonly string[] = [
  "preinstall",
  "install",
  "postinstall",
  "prepare",
  "preprepare",
  "postprepare",
  "prepublish",
  "prepublishOnly",
  "prepack",
  "postpack",
  "dependencies",
];

/**
 * The `scripts` entries of a package.json that changed between two versions of it, among the
 * watched names (lifecycle scripts and the scripts the gate runs). A file that is not valid JSON
 * on either side counts as every watched script changed.
 */
export function changedScripts(
  before: string | null,
  after: string | null,
  watched: readonly string[],
): string[] {
  const scripts = (text: string | null): Record<string, unknown> | null => {
    if (text === null) return {};
    try {
      const value = JSON.parse(text) as { scripts?: unknown } | null;
      const s = value?.scripts;
      return s !== null && typeof s === "object" ? (s as Record<string, unknown>) : {};
    } catch {
      return null;
    }
  };
  const a = scripts(before);
  const b = scripts(after);
  if (a === null || b === null) return [...watched];
  return watched.filter((name) => JSON.stringify(a[name]) !== JSON.stringify(b[name]));
}

/** The npm scripts a gate command line runs (`npm test`, `npm run lint`, `yarn build`, …). */
export function scriptsRunBy(command: string): string[] {
  const names: string[] = [];
  for (const part of command.split(/&&|\|\||;|\|/)) {
    const words = part.trim().split(/\s+/);
    const tool = words[0] ?? "";
    if (!["npm", "pnpm", "yarn", "bun"].includes(tool)) continue;
    const verb = words[1] ?? "";
    if (["test", "t", "tst"].includes(verb)) names.push("test", "pretest", "posttest");
    else if (verb === "run" || verb === "run-script") {
      const name = words.find((w, i) => i > 1 && !w.startsWith("-"));
      if (name) names.push(name, `pre${name}`, `post${name}`);
    } else if (tool !== "npm" && verb && !verb.startsWith("-")) names.push(verb);
  }
  return [...new Set(names)];
}
