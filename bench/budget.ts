/**
 * Budget overshoot: 1,000 randomised tasks, each with a random budget and a run of calls with
 * random prompts and random usage, through the engine's model caller (which holds a call's most
 * possible cost against the task's budget and a shared day budget, and refuses a call that
 * could cross one). Overshoot is what a task or the day spent beyond its budget: the goal is 0.
 *
 * The most a call can cost is computed from our token estimate of its prompt. Providers counted
 * fewer tokens than our estimate in every recorded case (test/engine/tokens.test.ts), so the main
 * run draws reported input up to the estimate; a stress run lets providers report up to 20 % more
 * than we estimated, to show what an estimate that is too low would cost. Ends with one JSON line.
 */
import { BudgetExceededError } from "../src/core/errors.ts";
import { estimateInputTokens } from "../src/engine/calls/tokens.ts";
import type { LanguageModel, ModelRequest } from "../src/ports/language-model.ts";
import { benchCaller, must, pick, seeded } from "./lib/caller.ts";
import { size } from "./lib/quick.ts";

const TASKS = size("BENCH_TASKS", 1000, 100);
/** Prompt sizes from 2k to 200k characters (a few, so the token counts are memoised). */
const PROMPTS = Array.from({ length: 12 }, (_, i) => "word ".repeat(400 + i * 3_600));
const MODELS = ["anthropic/claude-sonnet-5-5", "google/gemini-3.5-flash", "openai/gpt-6.1-terra"];

/** `naive`: the check before holds, a call is made while the task has not spent its budget. */
async function run(reportedInput: [number, number], seed: number, naive = false) {
  const random = seeded(seed);
  const client: LanguageModel = {
    provider: "any",
    generate: (request: ModelRequest) => {
      const provider =
        must(
          MODELS.find((m) => m.endsWith(request.model)),
          "model",
        ).split("/")[0] ?? "";
      const estimate = estimateInputTokens(provider, request);
      const [lo, hi] = reportedInput;
      const input = Math.round(estimate * (lo + (hi - lo) * random()));
      const cacheRead = Math.round(input * random() * 0.8);
      return Promise.resolve({
        text: "ok",
        content: [{ type: "text", text: "ok" }],
        stopReason: "end",
        usage: {
          input: { noCache: input - cacheRead, cacheRead, cacheWrite: 0 },
          output: Math.round(request.maxOutputTokens * random()),
        },
      });
    },
  };
  const dayLimitUsd = TASKS * 0.4;
  const { caller } = benchCaller({
    client,
    random,
    dayLimits: naive ? [] : [{ scope: "repository", key: "bench/repo", limitUsd: dayLimitUsd }],
  });
  let overshootTasks = 0;
  let worstOvershoot = 0;
  const stoppedBy: Record<string, number> = {};
  let daySpent = 0;
  const tasks = Array.from({ length: TASKS }, (_, t) => t);
  const runTask = async (t: number) => {
    const budget = 0.05 + random() * 1.5;
    let spent = 0;
    for (let c = 0; c < 60; c++) {
      if (naive && spent >= budget) break;
      const model = pick(MODELS, random);
      const call = caller.at({
        task: `T${t}`,
        effectKey: `T${t}:e${c}`,
        role: "implementer",
        modelRef: model,
        budgetLeftUsd: naive ? null : budget - spent,
        step: "S1",
        attempt: 1,
        prompt: "implementer@3",
      });
      try {
        const { record } = await call(0, {
          system: "s",
          messages: [
            {
              role: "user",
              content: [{ type: "text", text: pick(PROMPTS, random) }],
            },
          ],
          maxOutputTokens: 1_000 + Math.floor(random() * 15_000),
        });
        spent += record.costUsd;
        daySpent += record.costUsd;
      } catch (error) {
        if (!(error instanceof BudgetExceededError)) throw error;
        stoppedBy[error.scope] = (stoppedBy[error.scope] ?? 0) + 1;
        break;
      }
    }
    const over = spent - budget;
    if (over > 1e-9) {
      overshootTasks += 1;
      worstOvershoot = Math.max(worstOvershoot, over);
    }
  };
  // Twenty tasks at a time share the day budget, as the tasks of one process do.
  for (let i = 0; i < tasks.length; i += 20) await Promise.all(tasks.slice(i, i + 20).map(runTask));
  return {
    tasks: TASKS,
    overshootTasks,
    worstOvershootUsd: Number(worstOvershoot.toFixed(6)),
    stoppedBy,
    daySpentUsd: Number(daySpent.toFixed(4)),
    dayLimitUsd,
    dayOvershootUsd: Number(Math.max(0, daySpent - dayLimitUsd).toFixed(6)),
  };
}

const started = performance.now();
const main = await run([0.6, 1.0], 1);
const stress = await run([0.8, 1.2], 2);
const naive = await run([0.6, 1.0], 1, true);
const ms = performance.now() - started;
console.log(`${TASKS} randomised tasks, provider counts at most our estimate:`);
console.log(
  `  tasks over budget ${main.overshootTasks} (worst $${main.worstOvershootUsd}); stopped by the task's budget ${main.stoppedBy["task"] ?? 0}, by the day's ${main.stoppedBy["repository"] ?? 0}; day $${main.daySpentUsd} of $${main.dayLimitUsd} (over by $${main.dayOvershootUsd})`,
);
console.log(`stress: providers report up to 20% more input than we estimate:`);
console.log(
  `  tasks over budget ${stress.overshootTasks} (worst $${stress.worstOvershootUsd}); day over by $${stress.dayOvershootUsd}`,
);
console.log(`baseline: a call is made while the task has spent less than its budget (no holds):`);
console.log(
  `  tasks over budget ${naive.overshootTasks} of ${TASKS} (worst $${naive.worstOvershootUsd})`,
);
console.log(`(${(ms / 1000).toFixed(1)} s)`);
console.log(
  JSON.stringify({
    bench: "budget",
    goalMet: main.overshootTasks === 0 && main.dayOvershootUsd === 0,
    main,
    stress,
  }),
);
