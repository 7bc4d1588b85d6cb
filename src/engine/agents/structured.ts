import { z } from "zod";
import type { CallRecord } from "../../core/cost/ledger.ts";
import type { Role } from "../../core/vocabulary/roles.ts";
import { ModelOutputError } from "../../core/errors.ts";
import type { RenderedPrompt } from "../../core/prompt/render.ts";
import { fencedBody } from "../../core/text/fenced-json.ts";
import type { AssistantPart, Message, UserPart } from "../../ports/language-model.ts";
import type { BoundCall } from "../calls/model-caller.ts";

export interface StructuredArgs<T> {
  readonly role: Role;
  readonly prompt: RenderedPrompt;
  readonly schema: z.ZodType<T>;
  readonly schemaName: string;
  readonly maxOutputTokens: number;
  /** Receives every paid call, also when this throws. */
  readonly calls: CallRecord[];
}

/**
 * Asks for one JSON object. The stop reason is checked before parsing (a truncated answer is
 * never repaired); an answer that fails the schema gets one repair turn quoting the error.
 */
export async function structuredAnswer<T>(call: BoundCall, args: StructuredArgs<T>): Promise<T> {
  const jsonSchema = z.toJSONSchema(args.schema, { target: "draft-7" }) as Record<string, unknown>;
  const messages: Message[] = [
    { role: "user", content: args.prompt.userParts.map((text) => ({ type: "text", text })) },
  ];
  for (let turn = 0; turn < 2; turn++) {
    const { response, record } = await call(turn, {
      system: args.prompt.system,
      messages,
      schema: { name: args.schemaName, jsonSchema },
      maxOutputTokens: args.maxOutputTokens,
      cacheHint: true,
    });
    args.calls.push(record);
    if (response.stopReason === "max_tokens")
      throw new ModelOutputError(
        "truncated",
        `${args.role} ran out of output tokens; the answer was cut off and is not used`,
      );
    if (response.stopReason === "refusal")
      throw new ModelOutputError(
        "refusal",
        `${args.role} declined to answer: ${response.text.slice(0, 500)}`,
      );
    const parsed = args.schema.safeParse(response.object ?? parseJson(response.text));
    if (parsed.success) return parsed.data;
    const problem = z.prettifyError(parsed.error);
    if (turn === 1)
      throw new ModelOutputError(
        "invalid",
        `${args.role} answered twice with a ${args.schemaName} that does not match the schema:\n${problem}`,
      );
    messages.push(
      { role: "assistant", content: response.content },
      { role: "user", content: repairTurn(response.content, problem) },
    );
  }
  throw new Error("unreachable");
}

function parseJson(text: string): unknown {
  const body = fencedBody(text) ?? text;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function repairTurn(previous: readonly AssistantPart[], problem: string): UserPart[] {
  const text = `Your answer does not match the required schema:\n${problem}\nAnswer again with one corrected object.`;
  const results: UserPart[] = previous
    .filter((p) => p.type === "tool_call")
    .map((p) => ({ type: "tool_result", toolCallId: p.id, content: text, isError: true }));
  return results.length > 0 ? results : [{ type: "text", text }];
}
