import { slugify } from "../text/slug.ts";
import { RepoPath } from "../policy/paths.ts";
import type { TaskDocument } from "./document.ts";
import type { Effect } from "./effects.ts";

/**
 * What the App derives itself, to hold a stored document against: the state branch (or folder)
 * is writable by more people than the App (a writer, a leaked token, an accident), so nothing
 * in it may choose where the App writes.
 */
export interface TrustRules {
  /** Task branches are `<prefix><id>-<slug>`. */
  readonly branchPrefix: string;
  /** Branches a task never writes to, whatever its document says (the default branch, the state branch). */
  readonly forbiddenBranches?: readonly string[];
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/** Each host's own reference (GitHub's `<number>:<node id>:<draft|ready>`), never an option or text. */
const PULL_REF = /^[A-Za-z0-9_][A-Za-z0-9_=:.-]{0,199}$/;

/** Whether `name` is a branch name git accepts and no option: `git check-ref-format` rules, ASCII only. */
function isBranchName(name: string): boolean {
  if (!/^[A-Za-z0-9._/-]{1,250}$/.test(name)) return false;
  if (name.startsWith("-") || name.endsWith("/") || name.endsWith(".")) return false;
  if (name.includes("..") || name.includes("//")) return false;
  return name.split("/").every((part) => !part.startsWith(".") && !part.endsWith(".lock"));
}

/**
 * Why a stored document may not steer an effect, one line per problem (empty: it may): every
 * value that names where to write (the branch, commits, the pull request, paths) must be what
 * the App itself would have made. A document that fails gets an escalation, never an effect.
 */
export function trustProblems(doc: TaskDocument, rules: TrustRules): string[] {
  const problems: string[] = [];
  const expected = `${rules.branchPrefix}${slugify(doc.id, 64)}-`;
  if (doc.definition.id !== doc.id) problems.push("`definition.id` is not the task's id");
  if (!isBranchName(doc.branch) || !doc.branch.startsWith(expected))
    problems.push(`\`branch\` is not a task branch of this task (\`${expected}…\`)`);
  else if ((rules.forbiddenBranches ?? []).includes(doc.branch))
    problems.push("`branch` names a branch tasks never write to");
  const commit = (value: string | null | undefined, field: string): void => {
    if (value !== null && value !== undefined && !OBJECT_ID.test(value))
      problems.push(`\`${field}\` is not a commit id`);
  };
  commit(doc.baseCommit, "baseCommit");
  commit(doc.headCommit, "headCommit");
  commit(doc.gate.rerunCommit, "gate.rerunCommit");
  doc.steps.forEach((step, i) => {
    commit(step.baseCommit, `steps[${String(i)}].baseCommit`);
    step.commits.forEach((c, j) => commit(c, `steps[${String(i)}].commits[${String(j)}]`));
    if (step.files.some((f) => !RepoPath.safeParse(f).success))
      problems.push(`\`steps[${String(i)}].files\` holds a path outside the repository`);
  });
  if (doc.pullRequest !== null && !PULL_REF.test(doc.pullRequest))
    problems.push("`pullRequest` is not a pull request reference");
  const effects = [...doc.outbox, ...(doc.escalation?.blocked ? [doc.escalation.blocked] : [])];
  for (const effect of effects) problems.push(...effectProblems(effect));
  return problems;
}

function effectProblems(effect: Effect): string[] {
  const where = `\`${effect.kind}\` effect`;
  switch (effect.kind) {
    case "rerun_checks":
    case "post_review":
    case "report_check":
      return OBJECT_ID.test(effect.commit) ? [] : [`${where}: \`commit\` is not a commit id`];
    case "answer_review": {
      const ids = [effect.review, ...effect.comments];
      return [
        ...(OBJECT_ID.test(effect.commit) ? [] : [`${where}: \`commit\` is not a commit id`]),
        ...(ids.every((id) => id > 0) ? [] : [`${where}: an id is not a GitHub id`]),
      ];
    }
    default:
      return [];
  }
}

/**
 * Effects that may run from a document that failed `trustProblems`: they only tell the task's
 * own issue (the escalation that says so), whose number is the document's file name.
 */
export function runsUntrusted(effect: Effect): boolean {
  return effect.kind === "post_comment" || effect.kind === "update_status";
}
