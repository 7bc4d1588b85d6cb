import { parse as parseYaml } from "yaml";
import { InvalidInputError, type Problem } from "../errors.ts";
import { sanitizeUntrusted } from "../text/sanitize.ts";
import { TaskDefinition, type Risk } from "./definition.ts";

export interface IssueText {
  readonly number: number;
  readonly title: string;
  readonly body: string | null;
}

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

function formSections(body: string): Record<string, unknown> | null {
  const parts = body.split(/^###\s+(.+?)\s*$/m);
  const fields: Record<string, unknown> = {};
  for (let i = 1; i + 1 < parts.length; i += 2) {
    const field = FIELDS[(parts[i] ?? "").trim().toLowerCase()];
    const value = (parts[i + 1] ?? "").trim();
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
  const block = /```ya?ml\s*\n([\s\S]*?)\n```/.exec(body)?.[1];
  if (block === undefined) return null;
  try {
    const value: unknown = parseYaml(block);
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
