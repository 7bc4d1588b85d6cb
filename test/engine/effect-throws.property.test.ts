// Issue 21 §2: whatever an effect's port throws, the task ends in an escalation with a reason,
// or the run is thrown on for a retry that then gets there; never a task left without a word.
import { readdir } from "node:fs/promises";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OrchestratorError, StateConflictError } from "../../src/core/errors.ts";
import type { TaskDocument } from "../../src/core/task/document.ts";
import type { EngineDeps } from "../../src/engine/deps.ts";
import { createEngine } from "../../src/engine/engine.ts";
import type { WorkTree } from "../../src/ports/workspace.ts";
import { demoTask, fastGate, harness } from "../fakes/harness.ts";

/** Objects that throw when anything reads them: a getter, `toString`, every trap of a proxy. */
function bombs(): unknown[] {
  const boom = (): never => {
    throw new Error("read me not");
  };
  const getters = Object.defineProperties({}, { message: { get: boom }, toString: { get: boom } });
  const error = new Error("x");
  Object.defineProperty(error, "message", { get: boom });
  const trap = new Proxy({}, { get: boom, getPrototypeOf: boom, has: boom, ownKeys: boom });
  return [getters, error, trap, Symbol("thrown")];
}

const thrown: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }).map((m) => new Error(m)),
  fc.string({ maxLength: 40 }).map((m) => new TypeError(m)),
  fc.string({ maxLength: 40 }),
  fc.constantFrom(undefined, null, 0, 42n, true),
  fc.constantFrom(...bombs()),
  fc.constant(new StateConflictError("TEXT-001", 1, 2)),
);

/** Every method of the ports an effect runs through (and the work trees they open). */
const GROUPS = ["tracker", "codeHost", "gate", "workspace"] as const;

/** The ports, throwing `value` from the `at`-th call of any of their methods, once. */
function throwingDeps(deps: EngineDeps, at: number, value: unknown) {
  let calls = 0;
  let fired = false;
  const wrap = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const method = Reflect.get(obj, prop, receiver) as unknown;
        if (typeof method !== "function") return method;
        return async (...args: unknown[]) => {
          calls += 1;
          if (calls === at) {
            fired = true;
            throw value;
          }
          const out: unknown = await (method as (...a: unknown[]) => Promise<unknown>).apply(
            obj,
            args,
          );
          return prop === "open" ? wrap(out as WorkTree) : out;
        };
      },
    });
  const wrapped = { ...deps };
  for (const group of GROUPS) Object.assign(wrapped, { [group]: wrap(deps[group]) });
  return { deps: wrapped, fired: () => fired };
}

const isRetryable = (e: unknown): boolean => e instanceof OrchestratorError && e.retryable;

/** The task ended, or waits for a person who was told why (a reason and its comment). */
async function endedWithAWord(repo: string, doc: TaskDocument): Promise<void> {
  if (doc.state === "done") return;
  expect(doc.state).toBe("awaiting_human");
  expect(doc.escalation?.reason).toBeTruthy();
  expect(doc.escalation?.message).toBeTruthy();
  const comments = await readdir(join(repo, ".orchestrator", "comments", doc.id));
  expect(comments.some((f) => f.endsWith(`-${doc.escalation?.id ?? 0}-escalation.md`))).toBe(true);
}

describe("an effect that throws anything", () => {
  it("ends in an escalation with a reason, or a retry that gets there", async () => {
    const seen = { internal: 0, retried: 0 };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), thrown, async (at, value) => {
        const h = await harness();
        const config = await fastGate(h.repo);
        const task = await demoTask();
        const host = await h.host({ config });
        // Started as usual (no effect has run yet); run through the throwing ports.
        await host.engine.start(task);
        const { deps, fired } = throwingDeps(host.deps, at, value);
        const engine = createEngine(deps);
        const run = await engine.run(task.id).then(
          (doc) => ({ doc }),
          (error: unknown) => ({ error }),
        );
        if ("doc" in run) {
          await endedWithAWord(h.repo, run.doc);
          if (run.doc.escalation?.reason === "internal_error") seen.internal += 1;
          return;
        }
        expect(fired()).toBe(true);
        expect(run.error).toBe(value);
        // Thrown on only for a retry, or when the task had already stopped and could not say so.
        const stored = (await host.deps.store.load(task.id))?.document;
        if (!isRetryable(value)) expect(["awaiting_human", "done"]).toContain(stored?.state);
        seen.retried += 1;
        const again = await (await h.host({ config })).engine.run(task.id);
        await endedWithAWord(h.repo, again);
      }),
      { numRuns: Number(process.env["PROPERTY_RUNS"] ?? 10), seed: 21 },
    );
    // Both ends were reached: the property was not passed by exploring nothing.
    expect(seen.internal).toBeGreaterThan(0);
    expect(seen.retried).toBeGreaterThan(0);
  });
});
