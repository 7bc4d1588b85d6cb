import { z } from "zod";
import { pathRefusal } from "../../core/policy/paths.ts";
import { fenceUntrusted } from "../../core/prompt/fence.ts";
import type { ToolSpec } from "../../ports/language-model.ts";
import type { WorkTree } from "../../ports/workspace.ts";

const Path = z.string().min(1).max(500);
const MAX_READ = 60_000;
const MAX_SEARCH_LINES = 200;
const MAX_SEARCH_LINE = 300;
const MAX_SEARCH = 20_000;
const MAX_WRITE = 500_000;

const Inputs = {
  read_file: z.strictObject({ path: Path }),
  list_files: z.strictObject({ under: Path.optional() }),
  search: z.strictObject({ query: z.string().min(1).max(200) }),
  write_file: z.strictObject({ path: Path, content: z.string().max(MAX_WRITE) }),
  edit_file: z.strictObject({ path: Path, search: z.string().min(1), replace: z.string() }),
  delete_file: z.strictObject({ path: Path }),
  finish: z.strictObject({ summary: z.string().min(1).max(4_000) }),
} as const;
type ToolName = keyof typeof Inputs;

const DESCRIPTIONS: Record<ToolName, string> = {
  read_file: "Read a file of the repository (path relative to its root).",
  list_files: "List repository files, optionally only below a folder.",
  search: "Find lines containing a literal string in repository files.",
  write_file: "Create or replace a file with the given content.",
  edit_file: "Replace exactly one occurrence of `search` with `replace` in a file.",
  delete_file: "Delete a file.",
  finish: "Call once when the step is done, with a short summary of what changed.",
};

export const IMPLEMENTER_TOOLS: readonly ToolSpec[] = (Object.keys(Inputs) as ToolName[]).map(
  (name) => ({
    name,
    description: DESCRIPTIONS[name],
    inputSchema: z.toJSONSchema(Inputs[name], { target: "draft-7" }),
  }),
);

export interface ToolOutcome {
  readonly content: string;
  readonly isError: boolean;
  /** Set by `finish`. */
  readonly finished?: string;
}

/**
 * Runs one tool call against the work tree. Refusals and bad input come back to the model as
 * errors it can correct; they never touch anything outside the tree or a protected path.
 */
export async function runTool(
  tree: WorkTree,
  name: string,
  input: unknown,
  protectedPaths: readonly string[],
): Promise<ToolOutcome> {
  if (!(name in Inputs)) return error(`unknown tool ${name}`);
  const parsed = Inputs[name as ToolName].safeParse(input);
  if (!parsed.success) return error(`invalid input for ${name}: ${z.prettifyError(parsed.error)}`);
  const args = parsed.data as Record<string, string | undefined>;
  const path = args["path"] ?? args["under"];
  const write = name === "write_file" || name === "edit_file" || name === "delete_file";
  if (path !== undefined) {
    const refusal = pathRefusal(path.replace(/\/+$/, ""), { write, protectedPaths });
    if (refusal) return error(`refused: ${refusal}`);
  }
  try {
    return await dispatch(tree, name as ToolName, args);
  } catch (e) {
    return error(e instanceof Error ? e.message : String(e));
  }
}

async function dispatch(
  tree: WorkTree,
  name: ToolName,
  args: Record<string, string | undefined>,
): Promise<ToolOutcome> {
  const path = args["path"] ?? "";
  switch (name) {
    case "read_file": {
      const text = await tree.readFile(path);
      if (text === null) return error(`${path} does not exist`);
      const cut = text.length > MAX_READ;
      return ok(
        `${fenceUntrusted(`file ${path}`, cut ? text.slice(0, MAX_READ) : text, "source")}${cut ? `\n(truncated at ${MAX_READ} characters)` : ""}`,
      );
    }
    case "list_files": {
      const files = await tree.listFiles(args["under"] ? { under: args["under"] } : {});
      const list =
        files.slice(0, 1_000).join("\n") +
        (files.length > 1_000 ? `\n… and ${files.length - 1_000} more` : "");
      return ok(fenceUntrusted("files", list, "source"));
    }
    case "search": {
      const lines = await tree.search({ query: args["query"] ?? "", limit: MAX_SEARCH_LINES });
      if (lines.length === 0) return ok("no matches");
      let size = 0;
      const kept: string[] = [];
      for (const line of lines) {
        const short = line.length > MAX_SEARCH_LINE ? `${line.slice(0, MAX_SEARCH_LINE)}…` : line;
        if (size + short.length > MAX_SEARCH) break;
        kept.push(short);
        size += short.length + 1;
      }
      const more = lines.length - kept.length;
      return ok(
        `${fenceUntrusted("search results", kept.join("\n"), "source")}${more > 0 ? `\n(${more} more matching lines left out)` : ""}`,
      );
    }
    case "write_file":
      await tree.writeFile(path, args["content"] ?? "");
      return ok(`wrote ${path}`);
    case "edit_file": {
      const text = await tree.readFile(path);
      if (text === null) return error(`${path} does not exist`);
      const search = args["search"] ?? "";
      const count = text.split(search).length - 1;
      if (count !== 1)
        return error(`search text found ${count} times in ${path}; it must match exactly once`);
      await tree.writeFile(
        path,
        text.replace(search, () => args["replace"] ?? ""),
      );
      return ok(`edited ${path}`);
    }
    case "delete_file":
      return (await tree.deleteFile(path))
        ? ok(`deleted ${path}`)
        : error(`${path} does not exist`);
    case "finish":
      return { content: "ok", isError: false, finished: args["summary"] ?? "" };
  }
}

const ok = (content: string): ToolOutcome => ({ content, isError: false });
const error = (content: string): ToolOutcome => ({ content, isError: true });
