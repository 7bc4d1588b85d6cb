import { parse as parseYaml } from "yaml";
import { InvalidInputError, type Problem } from "../errors.ts";
import { sanitizeUntrusted, splitCode } from "../text/sanitize.ts";
import { TaskDefinition } from "./definition.ts";
import { type Risk } from "../vocabulary/task-class.ts";

export interface IssueText {
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
}

/** GitHub allows 65,536 characters; a task needs far fewer, and reading is bounded. */
const MAX_BODY = 30_000;
const MAX_TITLE = 256;

const FIELDS: Record<string, string> = {
  goal: "goal",
  risk: "risk",
  area: "area",
  complexity: "complexity",
  "context files": "context_files",
  constraints: "constraints",
};

/**
 * The task an issue asks for, from (in this order) the issue form's sections, a fenced `yaml`
 * block, or the title and body as the goal. The text is sanitised first. Every problem is listed.
 */
export function taskFromIssue(
  issue: IssueText,
  defaults: { readonly risk: Risk; readonly area: string },
): TaskDefinition {
  const length = (issue.body ?? "").length;
  if (length > MAX_BODY || issue.title.length > MAX_TITLE)
    throw new InvalidInputError(`the task in issue #${issue.number}`, [
      {
        path: length > MAX_BODY ? "body" : "title",
        message:
          length > MAX_BODY
            ? `the issue text is ${length} characters; a task is read from at most ${MAX_BODY}`
            : `the title is longer than ${MAX_TITLE} characters`,
      },
    ]);
  const title = sanitizeUntrusted(issue.title).trim();
  const body = sanitizeUntrusted(issue.body ?? "");
  const fields = formSections(body) ??
    yamlBlock(body) ?? { goal: [title, body.trim()].filter(Boolean).join("\n\n") };
  const input = { risk: defaults.risk, area: defaults.area, ...fields, id: String(issue.number) };
  const parsed = TaskDefinition.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems: Problem[] = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join("."),
    message: i.message,
  }));
  throw new InvalidInputError(`the task in issue #${issue.number}`, problems);
}

/** The issue form's `### Heading` sections, read line by line (linear in the text's length). */
function formSections(body: string): Record<string, unknown> | null {
  const sections: { heading: string; lines: string[] }[] = [];
  for (const line of body.split("\n")) {
    const heading = line.startsWith("###") && /^###[ \t]/.test(line) ? line.slice(4).trim() : null;
    if (heading !== null) sections.push({ heading, lines: [] });
    else sections.at(-1)?.lines.push(line);
  }
  const fields: Record<string, unknown> = {};
  for (const section of sections) {
    const field = FIELDS[section.heading.toLowerCase()];
    const value = section.lines.join("\n").trim();
    if (!field || value === "" || value === "_No response_") continue;
    fields[field] =
      field === "context_files" || field === "constraints"
        ? listOf(value)
        : field === "goal"
          ? value
          : value.toLowerCase();
  }
  return "goal" in fields ? fields : null;
}

function yamlBlock(body: string): Record<string, unknown> | null {
  const block = splitCode(body).find((p) => p.code && /^ {0,3}```ya?ml[ \t]*\n/.test(p.text));
  if (!block) return null;
  const text = block.text.replace(/^.*\n/, "").replace(/\n? {0,3}`{3,}[ \t]*\n?$/, "");
  try {
    const value: unknown = parseYaml(text, { maxAliasCount: 0 });
    return value !== null && typeof value === "object" && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function listOf(text: string): string[] {
  return text
    .split("\n")
    .map((l) =>
      l
        .replace(/^\s*(?:[-*]|\d+\.)\s+/, "")
        .replace(/^`(.*)`$/, "$1")
        .trim(),
    )
    .filter((l) => l !== "" && l !== "_No response_");
}
