import type { EngineDeps } from "../../src/engine/deps.ts";
import type { WorkTree } from "../../src/ports/workspace.ts";

export class SimulatedCrash extends Error {
  override readonly name = "SimulatedCrash";
}

const MUTATING: Record<string, readonly string[]> = {
  store: ["save", "writeCall"],
  tracker: ["ensureComment", "updateStatus"],
  workspace: ["open"],
  tree: ["writeFile", "deleteFile", "commit", "discardChanges", "restore", "publish"],
  gate: ["run"],
};

/**
 * Wraps the engine's ports so that the process "dies" right after the `crashAt`-th side effect
 * completes: that call's effect has happened, and every later call throws before doing anything.
 * With `crashAt` = Infinity it only counts.
 */
export function crashingDeps(
  deps: EngineDeps,
  crashAt: number,
): { deps: EngineDeps; count: () => number } {
  let done = 0;
  let dead = false;
  const wrap = <T extends object>(target: T, group: string): T =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver) as unknown;
        if (typeof value !== "function") return value;
        return async (...args: unknown[]) => {
          if (dead) throw new SimulatedCrash("the process is gone");
          const raw: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(
            obj,
            args,
          );
          const out = group === "workspace" && prop === "open" ? wrapTree(raw as WorkTree) : raw;
          if (MUTATING[group]?.includes(String(prop))) {
            done += 1;
            if (done === crashAt) {
              dead = true;
              throw new SimulatedCrash(`crash after ${group}.${String(prop)} (#${done})`);
            }
          }
          return out;
        };
      },
    });
  const wrapTree = (tree: WorkTree): WorkTree => wrap(tree, "tree");
  return {
    deps: {
      ...deps,
      store: wrap(deps.store, "store"),
      tracker: wrap(deps.tracker, "tracker"),
      workspace: wrap(deps.workspace, "workspace"),
      gate: wrap(deps.gate, "gate"),
    },
    count: () => done,
  };
}
