import { isMap, isSeq, type LineCounter, type Node } from "yaml";
import { readYaml } from "../text/yaml-source.ts";
import { z } from "zod";
import { InvalidInputError, type Problem } from "../errors.ts";
import { TaskDefinition } from "./definition.ts";

const TasksFile = z.strictObject({
  tasks: z.array(TaskDefinition).min(1, "list at least one task"),
});

/**
 * Parses a `tasks.yaml` text. Every problem is reported at once, with its path and line;
 * a file with any problem yields no tasks.
 */
export function parseTasksFile(text: string, source = "tasks.yaml"): TaskDefinition[] {
  const { doc, lines } = readYaml(text, source);
  const parsed = TasksFile.safeParse(doc.toJS());
  const problems: Problem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String);
      const line = lineOf(doc.contents, path, lines);
      problems.push({ path: path.join("."), message: issue.message, ...(line ? { line } : {}) });
    }
  } else {
    const seen = new Map<string, number>();
    parsed.data.tasks.forEach((task, i) => {
      const first = seen.get(task.id);
      if (first !== undefined) {
        const line = lineOf(doc.contents, ["tasks", String(i), "id"], lines);
        problems.push({
          path: `tasks.${i}.id`,
          message: `duplicate id '${task.id}' (first used by tasks.${first})`,
          ...(line ? { line } : {}),
        });
      } else seen.set(task.id, i);
    });
  }
  if (problems.length > 0 || !parsed.success) throw new InvalidInputError(source, problems);
  return parsed.data.tasks;
}

function lineOf(root: unknown, path: string[], lines: LineCounter): number | undefined {
  let node = root as Node | null | undefined;
  let deepest = node;
  for (const key of path) {
    if (isMap(node)) node = node.get(key, true);
    else if (isSeq(node)) node = node.get(Number(key), true);
    else break;
    if (node) deepest = node;
  }
  const offset = deepest?.range?.[0];
  return offset === undefined ? undefined : lines.linePos(offset).line;
}
