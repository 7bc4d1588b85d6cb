import { z } from "zod";
import { CallRecord } from "../../../core/cost/ledger.ts";
import type { ModelResponse } from "../../../ports/language-model.ts";
import type { StateStore } from "../../../ports/state-store.ts";
import type { CallRequest, CallResult, Stage } from "./stage.ts";

/** A journaled model answer. */
export const JournalEntry = z.object({
  record: CallRecord,
  response: z.custom<ModelResponse>((v) => typeof v === "object" && v !== null),
});

export interface JournalDeps {
  readonly store: Pick<StateStore, "readCall" | "writeCall">;
}

/**
 * Answers from the journal when it has the call; journals new answers before returning them,
 * so a crash after that point never pays for the call again. `entry` reads what this kind of
 * call journals (a model's answer by default; an agent run's answer in `agent-run.ts`).
 */
export function journal<Req = CallRequest, Res = ModelResponse>(
  deps: JournalDeps,
  entry: z.ZodType<CallResult<Res>>,
): Stage<Req, Res> {
  return (next) => async (call) => {
    const journaled = entry.safeParse(
      await deps.store.readCall({ task: call.site.task, key: call.key }),
    );
    if (journaled.success) return journaled.data;
    const result = await next(call);
    await deps.store.writeCall({ task: call.site.task, key: call.key, value: result });
    return result;
  };
}

/**
 * Every journaled call of an effect (model turns and agent runs alike), in turn order, up to
 * the first turn not journaled.
 */
export async function journaledCalls(
  store: Pick<StateStore, "readCall">,
  task: string,
  effectKey: string,
): Promise<CallRecord[]> {
  const records: CallRecord[] = [];
  for (let turn = 0; ; turn++) {
    const entry = JournalEntry.safeParse(
      await store.readCall({ task, key: `${effectKey}#${turn}` }),
    );
    if (!entry.success) return records;
    records.push(entry.data.record);
  }
}
