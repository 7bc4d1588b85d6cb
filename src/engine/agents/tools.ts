import { z } from "zod";
import { ToolRefusedError } from "../../core/errors.ts";
import { describeEdits } from "../../core/edit/describe.ts";
import { editText, rewriteFile } from "../../core/edit/edit-text.ts";
import { compileGlob } from "../../core/look/glob.ts";
import { readWindow } from "../../core/look/read-window.ts";
import { compileQuery, searchText, type SearchHit } from "../../core/look/search.ts";
import { pathRefusal } from "../../core/policy/paths.ts";
import { fenceUntrusted } from "../../core/prompt/fence.ts";
import type { ToolSpec } from "../../ports/language-model.ts";
import type { WorkTree } from "../../ports/workspace.ts";

const Path = z.string().min(1).max(500);
/** One read shows at most this much; a larger file is read in windows. */
const MAX_READ = 60_000;
const MAX_READ_LINES = 2_000;
const MAX_SEARCH_LINES = 200;
const MAX_SEARCH_PER_FILE = 20;
const MAX_SEARCH_LINE = 300;
const MAX_SEARCH = 20_000;
/** A search reads at most this much of the repository, files in path order. */
const MAX_SEARCH_BYTES = 64 * 1024 * 1024;
const MAX_WRITE = 500_000;
const MAX_EDITS = 20;

const EditPair = z.strictObject({
  search: z.string().min(1).max(MAX_WRITE),
  replace: z.string().max(MAX_WRITE),
});

const Inputs = {
  read_file: z
    .strictObject({
      path: Path,
      start_line: z.number().int().min(1).optional(),
      end_line: z.number().int().min(1).optional(),
    })
    .refine((a) => (a.end_line ?? Infinity) >= (a.start_line ?? 1), {
      message: "`end_line` comes before `start_line`",
    }),
  list_files: z.strictObject({ under: Path.optional() }),
  search: z.strictObject({
    query: z.string().min(1).max(500),
    regex: z.boolean().optional(),
    ignore_case: z.boolean().optional(),
    glob: z.string().min(1).max(200).optional(),
  }),
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
/**
 * The tools by name, looked up in a Map: a model's name is untrusted, and `name in Inputs` is
 * true for `constructor`, `__proto__`, `toString` and every other prototype property.
 */
const TOOLS: ReadonlyMap<string, ToolName> = new Map(
  (Object.keys(Inputs) as ToolName[]).map((name) => [name, name]),
);

type Args = {
  path?: string;
  under?: string;
  query?: string;
  regex?: boolean;
  ignore_case?: boolean;
  glob?: string;
  start_line?: number;
  end_line?: number;
  content?: string;
  search?: string;
  replace?: string;
  edits?: { search: string; replace: string }[];
  summary?: string;
};

const DESCRIPTIONS: Record<ToolName, string> = {
  read_file: `Read a file of the repository (path relative to its root), or the lines \`start_line\` to \`end_line\` of it (1-based, inclusive). Each line is shown as \`N | text\`: the number and " | " are not part of the file (leave them out of an edit's search). A read shows at most ${MAX_READ_LINES} lines or ${MAX_READ} characters and says which lines it showed and how many the file has; read on from the next line. Lines end with \\n whatever the file uses; edits keep the file's own line endings.`,
  list_files: "List repository files, optionally only below a folder.",
  search: `Find lines in repository files: \`query\` is a literal string, or a regular expression (RE2 syntax: no backreferences or lookarounds) with \`regex: true\`; \`ignore_case\` matches either case; \`glob\` keeps only paths it matches (\`*.ts\` a name at any depth, \`src/**/*.test.ts\` from the root). Answers \`path:line: text\`, at most ${MAX_SEARCH_PER_FILE} lines per file and ${MAX_SEARCH_LINES} in all.`,
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
  const tool = TOOLS.get(name);
  if (tool === undefined) return error(`unknown tool ${name}`, `unknown tool ${shown(name)}`);
  const parsed = Inputs[tool].safeParse(input);
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
    const outcome = await dispatch(tree, tool, args);
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
      const window = readWindow(
        raw,
        {
          ...(args.start_line ? { from: args.start_line } : {}),
          ...(args.end_line ? { to: args.end_line } : {}),
        },
        { maxChars: MAX_READ, maxLines: MAX_READ_LINES },
      );
      if (window.kind === "out_of_range")
        return error(
          `${path} has ${window.total} lines; start_line ${args.start_line ?? 1} is past its end`,
          `lines ${args.start_line ?? 1}-${args.end_line ?? ""} past the end (${window.total} lines)`,
        );
      const lines =
        window.total === 0
          ? "the file is empty"
          : `lines ${window.from}-${window.to} of ${window.total}`;
      const rest =
        window.to < window.total && window.to < (args.end_line ?? window.total)
          ? `; more follows: read on with start_line ${window.to + 1}`
          : "";
      const cut = window.cutLine
        ? `; line ${window.to} is longer than ${MAX_READ} characters and is cut`
        : "";
      return ok(
        `${fenceUntrusted(`file ${path}`, window.text, "source")}\n(${path}: ${lines}${cut}${rest})`,
        window.total === 0 ? "read, empty" : `read ${lines}`,
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
      const query = compileQuery({
        query: args.query ?? "",
        regex: args.regex ?? false,
        ignoreCase: args.ignore_case ?? false,
      });
      if (!query.ok) return error(query.error, "not a valid regular expression");
      const glob = args.glob === undefined ? null : compileGlob(args.glob);
      if (glob && !glob.ok) return error(`glob ${args.glob ?? ""}: ${glob.error}`, "invalid glob");
      const files = (await tree.listFiles()).filter(
        (f) =>
          pathRefusal(f, { write: false, protectedPaths: [] }) === null &&
          (glob === null || glob.matches(f)),
      );
      const found = await searchFiles(tree, files, query.test);
      return searchAnswer(found, files.length);
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

interface Found {
  readonly hits: SearchHit[];
  /** Matching lines not kept (past a file's or the search's bound). */
  readonly more: number;
  /** Files read; fewer than listed when the byte bound stopped the search. */
  readonly searched: number;
}

/** Reads the files in path order and keeps their matching lines, within the search's bounds. */
async function searchFiles(
  tree: WorkTree,
  files: readonly string[],
  test: (line: string) => boolean,
): Promise<Found> {
  const hits: SearchHit[] = [];
  let more = 0;
  let bytes = 0;
  let searched = 0;
  for (const file of files) {
    if (bytes >= MAX_SEARCH_BYTES) break;
    // A file read_file would refuse (a link out of the tree or into git) is not searched either.
    const raw = await tree.readFile(file).catch((e: unknown) => {
      if (e instanceof ToolRefusedError) return null;
      throw e;
    });
    searched += 1;
    if (raw === null) continue;
    bytes += raw.length;
    const found = searchText(file, raw, test, {
      maxLines: MAX_SEARCH_LINES,
      perFile: MAX_SEARCH_PER_FILE,
      lineChars: MAX_SEARCH_LINE,
    });
    const room = MAX_SEARCH_LINES - hits.length;
    hits.push(...found.hits.slice(0, room));
    more += found.more + Math.max(0, found.hits.length - room);
  }
  return { hits, more, searched };
}

function searchAnswer(found: Found, listed: number): ToolOutcome {
  const stopped =
    found.searched < listed
      ? `; searched the first ${found.searched} of ${listed} files (a search reads at most ${MAX_SEARCH_BYTES / 1024 / 1024} MB): narrow it with \`glob\``
      : "";
  if (found.hits.length === 0)
    return ok(
      `no matches in ${found.searched} file${found.searched === 1 ? "" : "s"}${stopped}`,
      `no matches${stopped ? ", stopped early" : ""}`,
    );
  let size = 0;
  const kept: string[] = [];
  for (const hit of found.hits) {
    const line = `${hit.path}:${hit.line}: ${hit.text}`;
    if (size + line.length > MAX_SEARCH) break;
    kept.push(line);
    size += line.length + 1;
  }
  const more = found.more + found.hits.length - kept.length;
  return ok(
    `${fenceUntrusted("search results", kept.join("\n"), "source")}\n(${kept.length} matching lines shown${more > 0 ? `, ${more} more left out: narrow the search` : ""}${stopped})`,
    `${kept.length + more} matching lines${stopped ? ", stopped early" : ""}`,
  );
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
