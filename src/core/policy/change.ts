import { changedScripts, LIFECYCLE_SCRIPTS, protectedChanges } from "./paths.ts";

/** What a step changed in the work tree, as the engine found it. */
export interface ChangeFacts {
  /** Every changed path (added, modified, deleted). */
  readonly changed: readonly string[];
  /** The changed paths that no longer exist. */
  readonly deleted: readonly string[];
  /** Files the branch had before the change (0 when fewer than two files were deleted). */
  readonly filesBefore: number;
  /** Each changed `package.json`, before and after (null: did not exist). */
  readonly manifests: readonly {
    readonly path: string;
    readonly before: string | null;
    readonly after: string | null;
  }[];
  /** Who made the change (the implementer when not said). */
  readonly role?: "implementer" | "fixer";
  /** The tool calls the tools refused on the way, as the run log words them. */
  readonly refused?: readonly string[];
}

export interface ChangeRules {
  readonly protectedPaths: readonly string[];
  readonly maxChangedFiles: number;
  /** Share of the repository's files one step may delete (0 to 1). */
  readonly maxDeletedShare: number;
  /** npm scripts that need a person to change, besides the lifecycle scripts. */
  readonly protectedScripts: readonly string[];
}

export interface ChangeRefusal {
  readonly reason: "no_changes" | "protected_path" | "change_too_large";
  readonly message: string;
}

/** Why a step's change may not be committed, or null when it may. */
export function changeRefusal(facts: ChangeFacts, rules: ChangeRules): ChangeRefusal | null {
  const { changed } = facts;
  if (changed.length === 0) return { reason: "no_changes", message: noChanges(facts) };
  const forbidden = protectedChanges(changed, rules.protectedPaths);
  if (forbidden.length > 0)
    return {
      reason: "protected_path",
      message: `The change touches protected paths and was discarded: ${forbidden.join(", ")}`,
    };
  const watched = [...new Set([...LIFECYCLE_SCRIPTS, ...rules.protectedScripts])];
  const scripts = facts.manifests.flatMap((m) =>
    changedScripts(m.before, m.after, watched).map((name) => `${m.path} scripts.${name}`),
  );
  if (scripts.length > 0)
    return {
      reason: "protected_path",
      message: `The change edits scripts that run on install or in the gate, and was discarded: ${scripts.join(", ")}`,
    };
  if (changed.length > rules.maxChangedFiles)
    return {
      reason: "change_too_large",
      message: `The change touches ${changed.length} files; at most ${rules.maxChangedFiles} are allowed per step.`,
    };
  const share = facts.filesBefore > 0 ? facts.deleted.length / facts.filesBefore : 0;
  if (facts.deleted.length > 1 && share > rules.maxDeletedShare)
    return {
      reason: "change_too_large",
      message: `The change deletes ${facts.deleted.length} of the repository's ${facts.filesBefore} files (${Math.round(share * 100)} %); more than ${Math.round(rules.maxDeletedShare * 100)} % needs a person.`,
    };
  return null;
}

/** Says who finished without a change, and what the tools refused it, so the right one is blamed. */
function noChanges(facts: ChangeFacts): string {
  const who = `The ${facts.role ?? "implementer"} finished without changing any file.`;
  const refused = facts.refused ?? [];
  if (refused.length === 0) return who;
  const last = refused.at(-1) ?? "";
  return `${who} The tools refused ${refused.length} of its calls (each is in the run log); the last: ${last}`;
}
