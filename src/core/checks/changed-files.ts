import { parse as parseScript } from "@babel/parser";
import { parse as parseToml } from "smol-toml";
import { parseAllDocuments } from "yaml";
import { matchesGlob } from "../text/glob.ts";
import { pluginsFor } from "../look/symbols.ts";

/** A changed file as the checks see it: its text now and at the last commit. */
export interface ChangedFile {
  readonly path: string;
  readonly text: string;
  /** Null for a new file. */
  readonly before: string | null;
}

/** One thing wrong with a changed file, where it is, in words the implementer can act on. */
export interface FileProblem {
  readonly path: string;
  readonly check: "size" | "conflict" | "json" | "yaml" | "toml" | "syntax";
  /** 1-based; null when the problem is the whole file. */
  readonly line: number | null;
  readonly column: number | null;
  readonly message: string;
}

export interface FileCheckRules {
  /** A file may not grow past this many bytes (one that was larger already may be edited). */
  readonly maxBytes: number;
}

export const DEFAULT_FILE_CHECKS: FileCheckRules = { maxBytes: 1024 * 1024 };

/** JSON files that tools read with comments allowed (JSONC): not held to strict JSON. */
const JSONC = [
  "tsconfig*.json",
  "jsconfig*.json",
  ".vscode/**",
  ".devcontainer/**",
  "devcontainer.json",
  ".eslintrc.json",
  ".babelrc",
  "*.jsonc",
  "*.json5",
];
/** Folders whose files are often invalid on purpose (a parser's test inputs). */
const FIXTURES = ["**/fixtures/**", "**/__fixtures__/**", "**/testdata/**"];

type Parser = (text: string, path: string) => Omit<FileProblem, "path"> | null;

/** Which parse check a file gets, by name. */
function parserFor(path: string): Parser | null {
  const name = path.split("/").at(-1) ?? "";
  if (name.endsWith(".json") && !JSONC.some((g) => matchesGlob(path, g))) return json;
  if (/\.ya?ml$/.test(name)) return yaml;
  if (name.endsWith(".toml")) return toml;
  if (pluginsFor(path) !== null) return script;
  return null;
}

/**
 * What is wrong with one changed file, without running anything from the repository: a file
 * grown past the size limit, merge-conflict markers the change added, and JSON, YAML, TOML,
 * JavaScript or TypeScript that does not parse. A check the file failed before the change too
 * is not held against it (the change did not break it), nor are parse checks for fixture
 * folders (their files are often invalid on purpose) or binary files.
 */
export function checkChangedFile(file: ChangedFile, rules: FileCheckRules): FileProblem[] {
  const problems: FileProblem[] = [];
  const at = (p: Omit<FileProblem, "path">): FileProblem => ({ path: file.path, ...p });
  const bytes = byteLength(file.text);
  if (bytes > rules.maxBytes && (file.before === null || byteLength(file.before) <= rules.maxBytes))
    problems.push(
      at({
        check: "size",
        line: null,
        column: null,
        message: `${bytes} bytes, more than the ${rules.maxBytes} a changed file may have`,
      }),
    );
  if (file.text.includes("\0") || FIXTURES.some((g) => matchesGlob(file.path, g))) return problems;
  const conflict = addedConflict(file.text, file.before);
  if (conflict !== null)
    problems.push(
      at({
        check: "conflict",
        line: conflict,
        column: 1,
        message: "a merge-conflict marker (`<<<<<<<`, `=======`, `>>>>>>>`)",
      }),
    );
  const parser = parserFor(file.path);
  if (parser === null) return problems;
  const problem = parser(file.text, file.path);
  if (problem !== null && (file.before === null || parser(file.before, file.path) === null))
    problems.push(at(problem));
  return problems;
}

/** The problems as the implementer is told them: one line each, `path:line:column: what`. */
export function describeProblems(problems: readonly FileProblem[]): string {
  const lines = problems.map((p) => {
    const where = p.line === null ? p.path : `${p.path}:${p.line}${p.column ? `:${p.column}` : ""}`;
    return `- ${where}: ${CHECK_NAMES[p.check]}: ${p.message}`;
  });
  return `The changed files do not pass the checks made before every commit (nothing was committed; fix them and finish again):\n${lines.join("\n")}`;
}

const CHECK_NAMES: Record<FileProblem["check"], string> = {
  size: "too large",
  conflict: "merge conflict left",
  json: "not valid JSON",
  yaml: "not valid YAML",
  toml: "not valid TOML",
  syntax: "does not parse",
};

/** The line of the first conflict marker set the change added, or null. */
function addedConflict(text: string, before: string | null): number | null {
  const markers = (t: string) => {
    const lines = t.split(/\r\n?|\n/);
    const open = lines.findIndex((l) => /^<{7}(?: |$)/.test(l));
    if (open < 0) return { count: 0, first: -1 };
    const closes = lines.some((l, i) => i > open && /^>{7}(?: |$)/.test(l));
    const splits = lines.some((l, i) => i > open && /^={7}$/.test(l));
    return {
      count: closes && splits ? lines.filter((l) => /^<{7}(?: |$)/.test(l)).length : 0,
      first: open,
    };
  };
  const now = markers(text);
  if (now.count === 0 || now.count <= (before === null ? 0 : markers(before).count)) return null;
  return now.first + 1;
}

const json: Parser = (text) => {
  try {
    JSON.parse(text);
    return null;
  } catch (e) {
    const message = (e as Error).message;
    const position = /at position (\d+)/.exec(message);
    const { line, column } = position
      ? lineAndColumn(text, Number(position[1]))
      : { line: null, column: null };
    return {
      check: "json",
      line,
      column,
      message: message
        .replace(/ in JSON at position \d+.*$/, "")
        .replace(/\s*\(line \d+ column \d+\)$/, ""),
    };
  }
};

const yaml: Parser = (text) => {
  // A template (Helm, Jinja) is YAML only once rendered.
  if (text.includes("{{")) return null;
  for (const doc of parseAllDocuments(text)) {
    const error = doc.errors[0];
    if (error)
      return {
        check: "yaml",
        line: error.linePos?.[0].line ?? null,
        column: error.linePos?.[0].col ?? null,
        message: error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "",
      };
  }
  return null;
};

const toml: Parser = (text) => {
  try {
    parseToml(text);
    return null;
  } catch (e) {
    const error = e as Error & { line?: number; column?: number };
    return {
      check: "toml",
      line: error.line ?? null,
      column: error.column ?? null,
      message: error.message.split("\n")[0]?.replace(/^Invalid TOML document: /, "") ?? "",
    };
  }
};

const script: Parser = (text, path) => {
  const plugins = [...(pluginsFor(path) ?? [])];
  if (/^\s*(?:\/\/|\/\*+|\*)\s*@flow\b/m.test(text)) plugins.push("flow");
  try {
    parseScript(text, {
      sourceType: "unambiguous",
      plugins,
      errorRecovery: false,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
    });
    return null;
  } catch (e) {
    const error = e as Error & { loc?: { line: number; column: number } };
    return {
      check: "syntax",
      line: error.loc?.line ?? null,
      // Babel counts columns from 0.
      column: error.loc ? error.loc.column + 1 : null,
      message: error.message.replace(/\s*\(\d+:\d+\)$/, ""),
    };
  }
};

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

function byteLength(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
