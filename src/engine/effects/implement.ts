import { z } from "zod";
import {
  checkChangedFile,
  DEFAULT_FILE_CHECKS,
  describeProblems,
  type FileProblem,
} from "../../core/checks/changed-files.ts";
import { CallRecord } from "../../core/cost/ledger.ts";
import { changeRefusal, type ChangeFacts } from "../../core/policy/change.ts";
import { renderPrompt } from "../../core/prompt/render.ts";
import type { StepRecord, TaskDocument } from "../../core/task/document.ts";
import type { Effect } from "../../core/task/effects.ts";
import { refusedCalls, ToolNote } from "../../core/task/tool-log.ts";
import type { EffectOutcome } from "../../core/task/events.ts";
import type { WorkTree } from "../../ports/workspace.ts";
import { implementerLoop } from "../agents/implementer-loop.ts";
import { agentStep } from "../agents/agent-step.ts";
import { failureOutcome } from "./failures.ts";
import { pathRefusal } from "../../core/policy/paths.ts";
import { contextFiles, contextLimitFor, planText, taskInputs } from "./inputs.ts";
import { callSite } from "./call-site.ts";
import { repositoryMap } from "./repo-map.ts";
import { repositoryInstructions, stepConventions, wideConventions } from "./instructions.ts";
import { renderKnowledge } from "../../core/learning/knowledge.ts";
import type { RunnerContext } from "./runner-context.ts";

type ImplementEffect = Extract<Effect, { kind: "implement_step" }>;

/**
 * Implements one step (or one gate fix) and commits it. Idempotent: a commit that carries this
 * effect's key is found again instead of being made twice; partial edits from a crash are dropped.
 */
export async function runImplement(
  ctx: Pick<
    RunnerContext,
    | "workspace"
    | "prompts"
    | "caller"
    | "settings"
    | "clock"
    | "logger"
    | "registry"
    | "agents"
    | "records"
    | "commands"
  >,
  doc: TaskDocument,
  effect: ImplementEffect,
): Promise<EffectOutcome> {
  const step = doc.steps[effect.step];
  if (!step) throw new Error(`task ${doc.id} has no step ${effect.step}`);
  const calls: CallRecord[] = [];
  const tools: ToolNote[] = [];
  let tree: WorkTree | null = null;
  try {
    tree = await ctx.workspace.open({ task: doc.id, branch: doc.branch, base: doc.baseCommit });
    const work = tree;
    const since = doc.baseCommit ?? (await tree.head());
    const existing = await tree.findCommit({ key: effect.key, since });
    if (existing) {
      await tree.publish();
      const note = await noteOf(tree, existing);
      return {
        kind: "implemented",
        foundAgain: true,
        commit: existing,
        files: await tree.filesIn(existing),
        calls: note?.calls ?? (await ctx.caller.journaled(doc.id, effect.key)),
        ...(note?.tools?.length ? { tools: note.tools } : {}),
      };
    }
    // Edits left by a run that died are dropped before the loop is replayed from the journal.
    if ((await tree.changes()).length > 0) await tree.discardChanges();
    const prompt = await implementerPrompt(ctx, tree, doc, step, effect);
    const site = callSite(doc, {
      effectKey: effect.key,
      role: effect.role,
      step: step.id,
      attempt: step.attempt,
      prompt: prompt.prompt,
    });
    const summary = ctx.agents.providers.has(site.modelRef.slice(0, site.modelRef.indexOf("/")))
      ? await agentStep({
          call: ctx.caller.agentAt(site),
          journaled: () => ctx.caller.journaled(doc.id, effect.key),
          recorded: new Set(doc.ledger.map((c) => c.key)),
          site,
          prompt,
          tree,
          directory: ctx.agents.directoryOf(doc.id),
          timeoutMs: ctx.settings.agentTimeoutMs,
          maxTurns: ctx.settings.maxToolTurns,
          calls,
        })
      : await implementerLoop(ctx.caller.at(site), {
          role: effect.role,
          prompt,
          tree,
          maxToolTurns: ctx.settings.maxToolTurns,
          maxOutputTokens: ctx.settings.maxOutputTokens,
          protectedPaths: ctx.settings.protectedPaths,
          calls,
          tools,
          logger: ctx.logger.child({ task: doc.id, step: step.id, role: effect.role }),
          beforeFinish: () => fileProblems(work),
          ...(ctx.commands
            ? {
                commands: {
                  runner: ctx.commands,
                  run: ctx.commands.forEffect({ task: doc.id, effectKey: effect.key }),
                },
              }
            : {}),
        });
    // An agent CLI's change (or one the loop let through) gets the same checks before a commit.
    const problems = await fileProblems(tree);
    if (problems) {
      await tree.discardChanges();
      return {
        kind: "failed",
        reason: "invalid_output",
        message: problems,
        calls,
        ...withTools(tools),
      };
    }
    const facts = { ...(await changeFacts(tree)), role: effect.role, refused: refusedCalls(tools) };
    const refusal = changeRefusal(facts, ctx.settings);
    if (refusal) {
      await tree.discardChanges();
      return {
        kind: "failed",
        reason: refusal.reason,
        message: refusal.message,
        calls,
        ...withTools(tools),
      };
    }
    const commit = await tree.commit({
      message: commitMessage(step, summary),
      trailers: {
        "Orchestrator-Task": doc.id,
        "Orchestrator-Step": `${step.id} attempt ${step.attempt}`,
        "Orchestrator-Key": effect.key,
      },
      at: new Date(ctx.clock.now()).toISOString(),
      // The calls that made the commit travel with it, so finding the commit again after a
      // crash also finds what it cost and what its tools did, whatever happened to the journal.
      note: JSON.stringify({ calls, ...withTools(tools) }),
    });
    await tree.publish();
    return { kind: "implemented", commit, files: [...facts.changed], calls, ...withTools(tools) };
  } catch (error) {
    await tree?.discardChanges().catch(() => undefined);
    const failed = failureOutcome(error, calls);
    return failed.kind === "failed" ? { ...failed, ...withTools(tools) } : failed;
  }
}

/**
 * What the cheap checks made before every commit say about the changed files (nothing from
 * the repository runs): null when they pass.
 */
async function fileProblems(tree: WorkTree): Promise<string | null> {
  const problems: FileProblem[] = [];
  for (const change of await tree.changes()) {
    if (change.status === "deleted") continue;
    const text = await tree.readFile(change.path);
    if (text === null) continue;
    const before = change.status === "added" ? null : await tree.readAtHead(change.path);
    problems.push(...checkChangedFile({ path: change.path, text, before }, DEFAULT_FILE_CHECKS));
  }
  return problems.length > 0 ? describeProblems(problems) : null;
}

/** What the implementer changed, gathered for the core's change policy. */
async function changeFacts(tree: WorkTree): Promise<ChangeFacts> {
  const changes = await tree.changes();
  const manifests = await Promise.all(
    changes
      .filter((c) => c.path === "package.json" || c.path.endsWith("/package.json"))
      .map(async (c) => ({
        path: c.path,
        before: c.status === "added" ? null : await tree.readAtHead(c.path),
        after: c.status === "deleted" ? null : await tree.readFile(c.path),
      })),
  );
  const added = changes.filter((c) => c.status === "added").length;
  const deleted = changes.filter((c) => c.status === "deleted").map((c) => c.path);
  return {
    changed: changes.map((c) => c.path),
    deleted,
    // Only a step that deletes several files needs the size of the repository.
    filesBefore: deleted.length > 1 ? (await tree.listFiles()).length - added : 0,
    manifests,
  };
}

/** The implementer's or fixer's prompt for one effect, as every run renders it (and `bench:cost`). */
export async function implementerPrompt(
  ctx: Pick<RunnerContext, "prompts" | "registry" | "settings" | "records">,
  tree: Pick<WorkTree, "readFile" | "filesAt" | "readAt" | "head">,
  doc: TaskDocument,
  step: StepRecord,
  effect: ImplementEffect,
) {
  // The task's context files as they were at the task's base commit: the same in every step's
  // prompt (its cached part). The step's own files, and the context files changed since, go in
  // the part that changes, so one step's edits do not break the next step's cache.
  const limit = contextLimitFor(ctx, doc, effect.role, step.id);
  const shared = doc.definition.context_files;
  const base = doc.baseCommit ?? (await tree.head());
  const context = await contextFiles(tree, shared, limit, undefined, (path) =>
    tree.readAt(base, path),
  );
  const changed: string[] = [];
  for (const path of shared) {
    if (pathRefusal(path, { write: false, protectedPaths: [] }) !== null) continue;
    if ((await tree.readFile(path)) !== (await tree.readAt(base, path))) changed.push(path);
  }
  const own = await contextFiles(
    tree,
    [...step.files.slice(0, 5).filter((path) => !shared.includes(path)), ...changed],
    { ...limit, budgetTokens: Math.max(0, limit.budgetTokens - context.tokens) },
    "(none beyond the context files)",
  );
  const instructions = await repositoryInstructions(tree, doc);
  const common = {
    ...taskInputs(doc),
    plan: planText(doc),
    map: await repositoryMap(tree, base, limit.countTokens),
    context: context.text,
    step_files: own.text,
    conventions: wideConventions(instructions, limit.countTokens),
    step_conventions: stepConventions(instructions, step.files, limit.countTokens),
  };
  if (effect.role === "fixer") {
    return renderPrompt(ctx.prompts.fixer, {
      ...common,
      failure: effect.feedback ?? "(no output)",
    });
  }
  return renderPrompt(ctx.prompts.implementer, {
    ...common,
    step: `${step.id} (${step.type}, ${step.risk} risk): ${step.description}\nFiles: ${step.files.join(", ") || "(not listed)"}\nTests required: ${step.testsRequired ? "yes" : "no"}`,
    feedback: effect.feedback ?? "(none: first attempt)",
    knowledge: renderKnowledge((await ctx.records()).tasks),
  });
}

const CommitNote = z.object({ calls: z.array(CallRecord), tools: z.array(ToolNote).optional() });

/** What the commit's note says (notes written before tool notes have only the calls). */
async function noteOf(tree: WorkTree, commit: string): Promise<z.infer<typeof CommitNote> | null> {
  const note = await tree.noteOf(commit);
  if (note === null) return null;
  const parsed = CommitNote.safeParse(JSON.parse(note));
  return parsed.success ? parsed.data : null;
}

const withTools = (tools: ToolNote[]): { tools?: ToolNote[] } =>
  tools.length > 0 ? { tools: [...tools] } : {};

function commitMessage(step: StepRecord, summary: string): string {
  const first = step.description.split("\n")[0] ?? "";
  const short = first.length <= 66 ? first : `${first.slice(0, 66).replace(/\s+\S*$/, "")}…`;
  const title = `${step.id}: ${short}`;
  return `${title}\n\n${summary.trim()}`;
}
