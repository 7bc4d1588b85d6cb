/**
 * Provider faults: 2,000 calls (400 tasks of 5 calls) through the engine's model caller while
 * 20 % of provider attempts fail with a 429 (with retry-after), a 529, a 503, a timeout or a
 * broken connection, and 1 % with a terminal error (a revoked key, an exhausted quota). Then every
 * task runs again, as after a crash or a webhook redelivery. Reports the completion rate, the
 * total (virtual) retry wait, terminal errors retried (goal 0) and calls paid twice (goal 0).
 * The same calls without faults are the baseline. Ends with one JSON line.
 */
import { ProviderError, type ProviderErrorKind } from "../src/core/errors.ts";
import type { LanguageModel } from "../src/ports/language-model.ts";
import { benchCaller, pick, seeded } from "./lib/caller.ts";
import { size } from "./lib/quick.ts";

const TASKS = size("BENCH_TASKS", 400, 40);
const CALLS = 5;
const TRANSIENT: [ProviderErrorKind, number, number | undefined][] = [
  ["rate_limit", 429, 7_000],
  ["overloaded", 529, undefined],
  ["server", 503, undefined],
  ["timeout", 408, undefined],
  ["network", 0, undefined],
];
const TERMINAL: [ProviderErrorKind, number][] = [
  ["auth", 401],
  ["quota", 429],
];

async function run(faultRate: number, terminalRate: number, seed: number) {
  const random = seeded(seed);
  const answered = new Map<string, number>();
  const terminalKeys = new Set<string>();
  let terminalRetried = 0;
  const client: LanguageModel = {
    provider: "anthropic",
    generate: (request) => {
      const key = `${request.tag.task}:${request.tag.step}:${request.tag.turn}`;
      if (terminalKeys.has(key)) terminalRetried += 1;
      const roll = random();
      if (roll < terminalRate) {
        const [kind, status] = pick(TERMINAL, random);
        terminalKeys.add(key);
        return Promise.reject(
          new ProviderError({ provider: "anthropic", kind, status, message: kind }),
        );
      }
      if (roll < terminalRate + faultRate) {
        const [kind, status, retryAfterMs] = pick(TRANSIENT, random);
        return Promise.reject(
          new ProviderError({ provider: "anthropic", kind, status, message: kind, retryAfterMs }),
        );
      }
      answered.set(key, (answered.get(key) ?? 0) + 1);
      return Promise.resolve({
        text: "ok",
        content: [{ type: "text", text: "ok" }],
        stopReason: "end",
        usage: { input: { noCache: 3_000, cacheRead: 0, cacheWrite: 0 }, output: 300 },
      });
    },
  };
  const { caller, waitedMs } = benchCaller({ client, random });
  let completed = 0;
  let failed = 0;
  const pass = async () => {
    for (let t = 0; t < TASKS; t++)
      for (let c = 0; c < CALLS; c++) {
        const call = caller.at({
          task: `T${t}`,
          effectKey: `T${t}:S${c}`,
          role: "implementer",
          modelRef: "anthropic/claude-sonnet-5-5",
          step: `S${c}`,
          attempt: 1,
          prompt: "implementer@3",
        });
        try {
          await call(0, {
            system: "s",
            messages: [{ role: "user", content: [{ type: "text", text: "step" }] }],
            maxOutputTokens: 1_000,
          });
          completed += 1;
        } catch (error) {
          if (!(error instanceof ProviderError)) throw error;
          failed += 1;
        }
      }
  };
  await pass();
  const first = { completed, failed, terminalRetried };
  // Everything again, as a resumed task would: answered calls come from the journal.
  await pass();
  const paidTwice = [...answered.values()].filter((n) => n > 1).length;
  return {
    calls: TASKS * CALLS,
    completionRate: Number((first.completed / (TASKS * CALLS)).toFixed(4)),
    terminalFailures: terminalKeys.size,
    retryWaitS: Math.round(waitedMs() / 1000),
    // Within our retry policy; the second pass calls a terminally failed call again on purpose
    // (a person fixed the key and answered /approve).
    terminalRetried: first.terminalRetried,
    paidTwice,
  };
}

const faults = await run(0.2, 0.01, 7);
const clean = await run(0, 0, 7);
console.log(`${faults.calls} calls, 20% transient faults and 1% terminal errors per attempt:`);
console.log(
  `  completed ${(faults.completionRate * 100).toFixed(2)}% (baseline without faults ${(clean.completionRate * 100).toFixed(2)}%); ${faults.terminalFailures} terminal failures`,
);
console.log(
  `  retry wait ${faults.retryWaitS} s in all (${(faults.retryWaitS / faults.calls).toFixed(2)} s per call); terminal errors retried ${faults.terminalRetried}; calls paid twice ${faults.paidTwice}`,
);
console.log(
  JSON.stringify({
    bench: "faults",
    goalMet: faults.terminalRetried === 0 && faults.paidTwice === 0,
    faults,
    baseline: clean,
  }),
);
