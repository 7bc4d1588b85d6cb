import { ToolRefusedError } from "../../core/errors.ts";
import { pathRefusal } from "../../core/policy/paths.ts";
import type { TaskDocument } from "../../core/task/document.ts";
import type { WorkTree } from "../../ports/workspace.ts";

const MAX_CONTEXT_FILE = 20_000;
const MAX_CONTEXT = 60_000;
const MAX_LISTED_FILES = 300;

/** The task's context files as one block of text, bounded in size. */
export async function contextFiles(
  tree: WorkTree,
  doc: TaskDocument,
  extra: readonly string[] = [],
): Promise<string> {
  const paths = [...new Set([...doc.definition.context_files, ...extra])];
  const parts: string[] = [];
  let size = 0;
  for (const path of paths) {
    // A path the implementer could not read is not read for it here either.
    const refusal = pathRefusal(path, { write: false, protectedPaths: [] });
    const text = refusal
      ? null
      : await tree.readFile(path).catch((error: unknown) => {
          if (error instanceof ToolRefusedError) return null;
          throw error;
        });
    const body =
      refusal !== null
        ? `(not read: ${refusal})`
        : text === null
          ? "(file does not exist or cannot be read)"
          : text.length > MAX_CONTEXT_FILE
            ? `${text.slice(0, MAX_CONTEXT_FILE)}\n… (truncated)`
            : text;
    if (size + body.length > MAX_CONTEXT) {
      parts.push(`--- ${path} ---\n(left out: context budget reached; use read_file)`);
      continue;
    }
    size += body.length;
    parts.push(`--- ${path} ---\n${body}`);
  }
  return parts.join("\n\n") || "(no context files)";
}

export async function fileList(tree: WorkTree): Promise<string> {
  const files = await tree.listFiles();
  return (
    files.slice(0, MAX_LISTED_FILES).join("\n") +
    (files.length > MAX_LISTED_FILES ? `\n… and ${files.length - MAX_LISTED_FILES} more` : "")
  );
}

export function taskInputs(doc: TaskDocument): Record<string, string> {
  const d = doc.definition;
  return {
    goal: d.goal,
    risk: d.risk,
    area: d.area,
    complexity: d.complexity,
    constraints:
      d.constraints.length > 0 ? d.constraints.map((c) => `- ${c}`).join("\n") : "(none)",
  };
}

export function planText(doc: TaskDocument): string {
  return JSON.stringify(doc.plan, null, 2);
}
