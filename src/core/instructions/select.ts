import { parse } from "yaml";
import { compileGlob } from "../look/glob.ts";

/**
 * The maintainers' instruction files we read, at the task's base commit: `AGENTS.md` at any
 * depth (the nearest one to a file applies to it, https://agents.md), `CLAUDE.md` and
 * `GEMINI.md` at the root, GitHub Copilot's `.github/copilot-instructions.md` and its
 * path-specific `.github/instructions/**\/*.instructions.md` (each scoped by its `applyTo`
 * front matter: comma-separated globs).
 */
export function isInstructionPath(path: string): boolean {
  return (
    path === "AGENTS.md" ||
    path.endsWith("/AGENTS.md") ||
    path === "CLAUDE.md" ||
    path === "GEMINI.md" ||
    path === ".github/copilot-instructions.md" ||
    (path.startsWith(".github/instructions/") && path.endsWith(".instructions.md"))
  );
}

/** One instruction file as read: where it applies and what it says. */
export interface Instruction {
  readonly path: string;
  /** The globs of the files it applies to: `null` for the whole repository. */
  readonly applyTo: readonly string[] | null;
  readonly body: string;
}

/** Every file that applies to the whole repository, and the scoped ones. */
export interface Instructions {
  readonly wide: readonly Instruction[];
  readonly scoped: readonly Instruction[];
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const EVERYTHING = new Set(["**", "**/*", "*", "/**"]);

/**
 * Sorts instruction files by scope. A nested `AGENTS.md` applies below its folder; a
 * `.instructions.md` file to its `applyTo` globs (one without `applyTo` is attached by hand in
 * Copilot, never automatically, so it is left out; one for `**` is repository-wide).
 */
export function sortInstructions(files: readonly { path: string; text: string }[]): Instructions {
  const wide: Instruction[] = [];
  const scoped: Instruction[] = [];
  for (const { path, text } of [...files].sort((a, b) => order(a.path) - order(b.path))) {
    if (!isInstructionPath(path)) continue;
    if (path.startsWith(".github/instructions/")) {
      const front = FRONT_MATTER.exec(text);
      const applyTo = front ? applyToOf(front[1] ?? "") : [];
      const body = front ? text.slice(front[0].length) : text;
      if (applyTo.length === 0) continue;
      if (applyTo.some((g) => EVERYTHING.has(g))) wide.push({ path, applyTo: null, body });
      else scoped.push({ path, applyTo, body });
    } else if (path.endsWith("/AGENTS.md")) {
      scoped.push({ path, applyTo: [`${path.slice(0, -"/AGENTS.md".length)}/**`], body: text });
    } else wide.push({ path, applyTo: null, body: text });
  }
  return { wide, scoped };
}

/** Root files first (AGENTS.md, CLAUDE.md, GEMINI.md, Copilot's), then by path. */
function order(path: string): number {
  const rank = ["AGENTS.md", "CLAUDE.md", "GEMINI.md", ".github/copilot-instructions.md"];
  const i = rank.indexOf(path);
  return i === -1 ? rank.length : i;
}

function applyToOf(yaml: string): string[] {
  let data: unknown;
  try {
    data = parse(yaml);
  } catch {
    return [];
  }
  const value = (data as { applyTo?: unknown } | null)?.applyTo;
  const list = Array.isArray(value) ? value : typeof value === "string" ? value.split(",") : [];
  return list.flatMap((g) => (typeof g === "string" && g.trim() !== "" ? [g.trim()] : []));
}

/**
 * The scoped files that apply to any of `files`: for each file its nearest nested `AGENTS.md`
 * (a closer one replaces those above it, as the convention says), and every
 * `.instructions.md` whose `applyTo` matches it. Globs are compiled to RE2 (linear, whatever
 * the repository wrote); one that does not compile matches nothing.
 */
export function instructionsFor(
  scoped: readonly Instruction[],
  files: readonly string[],
): Instruction[] {
  const wanted = new Set<Instruction>();
  const agents = scoped.filter((i) => i.path.endsWith("AGENTS.md"));
  const others = scoped.filter((i) => !i.path.endsWith("AGENTS.md"));
  for (const file of files) {
    const nearest = agents
      .filter((i) => file.startsWith(i.path.slice(0, -"AGENTS.md".length)))
      .sort((a, b) => b.path.length - a.path.length)[0];
    if (nearest) wanted.add(nearest);
    for (const i of others) if (i.applyTo?.some((g) => globMatches(g, file))) wanted.add(i);
  }
  return scoped.filter((i) => wanted.has(i));
}

function globMatches(glob: string, path: string): boolean {
  const compiled = compileGlob(glob);
  return compiled.ok && compiled.matches(path);
}
