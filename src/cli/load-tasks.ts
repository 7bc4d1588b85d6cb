import { access, readFile } from "node:fs/promises";
import { join } from "node:path";
import { InvalidInputError, readFailure, type Problem } from "../core/errors.ts";
import type { TaskDefinition } from "../core/task/definition.ts";
import { parseTasksFile } from "../core/task/tasks-file.ts";

/** The default tasks file: `tasks.yaml`, else `.orchestrator/tasks.yaml`. */
export async function findTasksFile(workingDir: string): Promise<string> {
  for (const candidate of [
    join(workingDir, "tasks.yaml"),
    join(workingDir, ".orchestrator", "tasks.yaml"),
  ]) {
    if (
      await access(candidate).then(
        () => true,
        () => false,
      )
    )
      return candidate;
  }
  throw new InvalidInputError("tasks", [
    {
      path: "--tasks",
      message: `no tasks.yaml in ${workingDir} or its .orchestrator/ folder; pass --tasks FILE`,
    },
  ]);
}

/** Reads a tasks file and checks that every context file exists in the repository. */
export async function loadTasks(file: string, workingDir: string): Promise<TaskDefinition[]> {
  const text = await readFile(file, "utf8").catch((error: unknown) => {
    throw new InvalidInputError("--tasks", [
      { path: "--tasks", message: `cannot read ${file}: ${readFailure(error)}` },
    ]);
  });
  const tasks = parseTasksFile(text, file);
  const problems: Problem[] = [];
  for (const [i, task] of tasks.entries()) {
    for (const [j, path] of task.context_files.entries()) {
      if (
        !(await access(join(workingDir, path)).then(
          () => true,
          () => false,
        ))
      ) {
        problems.push({
          path: `tasks.${i}.context_files.${j}`,
          message: `${path} does not exist in ${workingDir}`,
        });
      }
    }
  }
  if (problems.length > 0) throw new InvalidInputError(file, problems);
  return tasks;
}
