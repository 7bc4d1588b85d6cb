import { z } from "zod";
import { describeEdits } from "../../core/edit/describe.ts";
import { editText, rewriteFile } from "../../core/edit/edit-text.ts";
import { parseText, viewText } from "../../core/edit/text-file.ts";
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
const MAX_EDITS = 20;

const EditPair = z.strictObject({
  search: z.string().min(1).max(MAX_WRITE),
  replace: z.string().max(MAX_WRITE),
});

const Inputs = {
  read_file: z.strictObject({ path: Path }),
  list_files: z.strictObject({ under: Path.optional() }),
  search: z.strictObject({ query: z.string().min(1).max(200) }),
  write_file: z.strictObject({ path: Path, content: z.string().max(MAX_WRITE) }),
  create_file: z.strictObject({ path: Path, content: z.string().max(MAX_WRITE) }),
  // One edit as `search` and `replace` (what recorded sessions send), or several as `edits`.
  edit_file: z
    .strictObject({
      path: Path,
      search: EditPair.shape.search.optional(),
      replace: EditPair.shape.replace.optional(),
      edits: z.array(EditPair).min(1).max(MAX_EDITS).optional(),
    })
    .refine(
      (a) => (a.edits === undefined) === (a.search !== undefined && a.replace !== undefined),
      {
        message: "give either `search` and `replace`, or `edits`",
      },
    )
    .refine((a) => a.edits === undefined || (a.search === undefined && a.replace === undefined), {
      message: "give either `search` and `replace`, or `edits`, not both",
    }),
  delete_file: z.strictObject({ path: Path }),
  finish: z.strictObject({ summary: z.string().min(1).max(4_000) }),
} as const;
type ToolName = keyof typeof Inputs;

type Args = {
  path?: string;
  under?: string;
  query?: string;
  content?: string;
  search?: string;
  replace?: string;
  edits?: { search: string; replace: string }[];
  summary?: string;
};

const DESCRIPTIONS: Record<ToolName, string> = {
  read_file:
    "Read a file of the repository (path relative to its root). Lines end with \\n whatever the file uses; edits keep the file's own line endings.",
  list_files: "List repository files, optionally only below a folder.",
  search: "Find lines containing a literal string in repository files.",
  write_file:
    "Replace a whole file with the given content, or create it. An existing file keeps its line endings, byte order mark and final newline. Prefer edit_file to change part of a file.",
  create_file:
    "Create a new file with the given content. Refused when the file exists: change it with edit_file, or replace it with write_file.",
  edit_file:
    "Change part of a file: `search` is replaced by `replace`. `search` must match one place only, as read_file shows the file: copy whole lines, with a line or two around the change. When it matches nowhere exactly, one place that differs only in trailing whitespace, spacing inside lines or a uniform indentation shift is used, and `replace` is shifted the same way; anything else is refused with the closest lines. For several changes to one file give `edits` (a list of {search, replace}, applied in order on the result of the previous ones, all or none) instead of `search` and `replace`.",
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
  /** One line for the run log: the call and how it went, without any file text. */
  readonly summary: string;
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
  if (!(name in Inputs)) return error(`unknown tool ${name}`, `unknown tool ${shown(name)}`);
  const parsed = Inputs[name as ToolName].safeParse(input);
  if (!parsed.success)
    return error(
      `invalid input for ${name}: ${z.prettifyError(parsed.error)}`,
      `${name}: invalid input`,
    );
  const args = parsed.data as Args;
  const path = args.path ?? args.under;
  const call = path === undefined ? name : `${name} ${shown(path)}`;
  const write =
    name === "write_file" ||
    name === "create_file" ||
    name === "edit_file" ||
    name === "delete_file";
  if (path !== undefined) {
    const refusal = pathRefusal(path.replace(/\/+$/, ""), { write, protectedPaths });
    if (refusal) return error(`refused: ${refusal}`, `${call}: refused (${refusal})`);
  }
  try {
    const outcome = await dispatch(tree, name as ToolName, args);
    return {
      ...outcome,
      summary: `${call}${outcome.isError ? " refused" : ""}: ${outcome.summary}`,
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    return error(message, `${call} failed: ${message.split("\n")[0]?.slice(0, 200) ?? ""}`);
  }
}

async function dispatch(tree: WorkTree, name: ToolName, args: Args): Promise<ToolOutcome> {
  const path = args.path ?? "";
  switch (name) {
    case "read_file": {
      const raw = await tree.readFile(path);
      if (raw === null) return error(`${path} does not exist`, "does not exist");
      // The same form edits match in: \n line endings, no byte order mark or invisible characters.
      const text = viewText(parseText(raw));
      const cut = text.length > MAX_READ;
      return ok(
        `${fenceUntrusted(`file ${path}`, cut ? text.slice(0, MAX_READ) : text, "source")}${cut ? `\n(truncated at ${MAX_READ} characters)` : ""}`,
        cut ? `read, truncated at ${MAX_READ} characters` : "read",
      );
    }
    case "list_files": {
      const files = await tree.listFiles(args.under ? { under: args.under } : {});
      const list =
        files.slice(0, 1_000).join("\n") +
        (files.length > 1_000 ? `\n… and ${files.length - 1_000} more` : "");
      return ok(fenceUntrusted("files", list, "source"), `${files.length} files`);
    }
    case "search": {
      const lines = await tree.search({ query: args.query ?? "", limit: MAX_SEARCH_LINES });
      if (lines.length === 0) return ok("no matches", "no matches");
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
        `${lines.length} matching lines`,
      );
    }
    case "create_file":
      if ((await tree.readFile(path)) !== null)
        return error(
          `${path} exists already; change it with edit_file, or replace it with write_file`,
          "exists already",
        );
      await tree.writeFile(path, args.content ?? "");
      return ok(`created ${path}`, "created");
    case "write_file": {
      const before = await tree.readFile(path);
      const content = args.content ?? "";
      const text = before === null ? content : rewriteFile(before, content);
      if (text === before)
        return ok(`${path} already has this content; nothing changed`, "unchanged");
      await tree.writeFile(path, text);
      return ok(
        before === null ? `created ${path}` : `wrote ${path}`,
        before === null ? "created" : "replaced",
      );
    }
    case "edit_file": {
      const before = await tree.readFile(path);
      if (before === null)
        return error(`${path} does not exist; create it with create_file`, "does not exist");
      const edits = args.edits ?? [{ search: args.search ?? "", replace: args.replace ?? "" }];
      const outcome = editText(before, edits);
      const report = describeEdits(path, outcome, edits.length);
      if (outcome.kind === "done" && outcome.changed) await tree.writeFile(path, outcome.text);
      return { content: report.message, isError: report.isError, summary: report.summary };
    }
    case "delete_file":
      return (await tree.deleteFile(path))
        ? ok(`deleted ${path}`, "deleted")
        : error(`${path} does not exist`, "does not exist");
    case "finish":
      return { content: "ok", isError: false, summary: "finished", finished: args.summary ?? "" };
  }
}

const ok = (content: string, summary: string): ToolOutcome => ({
  content,
  isError: false,
  summary,
});
const error = (content: string, summary: string): ToolOutcome => ({
  content,
  isError: true,
  summary,
});

/** A model-chosen name or path as the run log shows it: one short line. */
function shown(text: string): string {
  const line = text.replace(/\p{Cc}/gu, "?");
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}
