import { slugify } from "../text/slug.ts";

/** The id of the task an issue asks for. */
export function taskIdOfIssue(issue: number): string {
  return String(issue);
}

/** The issue a task id names on GitHub, or null for a task that is not an issue's. */
export function issueOfTask(task: string): number | null {
  return /^[1-9]\d{0,9}$/.test(task) ? Number(task) : null;
}

/** The branch a task works on: `<prefix><id>-<slug of its title or goal>`. */
export function taskBranch(prefix: string, task: string, title: string): string {
  return `${prefix}${slugify(task, 64)}-${slugify(title, 32)}`;
}

/** The issue whose task works on `branch`, or null when the branch is not a task's. */
export function issueOfBranch(branch: string, prefix: string): number | null {
  if (!branch.startsWith(prefix)) return null;
  const match = /^(\d+)-/.exec(branch.slice(prefix.length));
  return match ? issueOfTask(match[1] ?? "") : null;
}

/**
 * The number of the pull request a code host's reference names (`<number>:…` on GitHub), or
 * null for a reference that carries none (a local run's file).
 */
export function pullNumberOf(ref: string | null): number | null {
  const match = ref === null ? null : /^([1-9]\d{0,9}):/.exec(ref);
  return match ? Number(match[1]) : null;
}
