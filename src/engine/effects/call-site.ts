import type { Role } from "../../core/vocabulary/roles.ts";
import { budgetLeft, callCandidates, routedFor } from "../../core/routing/candidates.ts";
import { callEffort } from "../../core/routing/effort.ts";
import type { TaskDocument } from "../../core/task/document.ts";
import type { CallSite } from "../calls/model-caller.ts";

/** The call site of one effect's model calls: who may answer, and what the task may still spend. */
export function callSite(
  doc: TaskDocument,
  site: {
    readonly effectKey: string;
    readonly role: Role;
    readonly step: string | null;
    readonly attempt: number;
    readonly prompt: string;
  },
): CallSite {
  const [modelRef, ...fallbacks] = callCandidates(doc, site.role, site.step);
  if (modelRef === undefined) throw new Error(`task ${doc.id} has no model for ${site.role}`);
  const step = site.step === null ? undefined : doc.steps.find((s) => s.id === site.step);
  const effort = callEffort(
    routedFor(doc, site.role, site.step),
    site.role,
    step ?? doc.definition,
  );
  return { task: doc.id, ...site, modelRef, fallbacks, budgetLeftUsd: budgetLeft(doc), effort };
}
