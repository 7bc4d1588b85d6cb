import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InvalidInputError } from "../errors.ts";

const FrontMatter = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  version: z.number().int().positive(),
  /**
   * Each input and where its text comes from: `trusted` (a short validated token of ours, such as
   * a risk level), `untrusted` (text people wrote, shown as rendered Markdown) or `source` (files,
   * diffs and logs from outside, shown as written). Both untrusted kinds are fenced as data.
   */
  inputs: z.record(z.string(), z.enum(["trusted", "untrusted", "source"])),
});

/** A parsed prompt file: a system part (the only instructions) and a user part (data). */
export interface PromptTemplate {
  readonly id: string;
  readonly version: number;
  readonly inputs: Readonly<Record<string, "trusted" | "untrusted" | "source">>;
  readonly system: string;
  /** The user part; a `<<<step>>>` line may end the part that is the same for every call of a task. */
  readonly user: string;
}

const USER_MARKER = /^<<<user>>>$/m;

export function parsePromptTemplate(text: string, source: string): PromptTemplate {
  const match = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n/g, "\n"));
  if (!match) throw new InvalidInputError(source, [{ path: "", message: "missing front matter" }]);
  const meta = FrontMatter.safeParse(parseYaml(match[1] ?? ""));
  if (!meta.success) {
    throw new InvalidInputError(
      source,
      meta.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  }
  const [system, user, ...rest] = (match[2] ?? "").split(USER_MARKER);
  if (user === undefined || rest.length > 0) {
    throw new InvalidInputError(source, [
      { path: "", message: "expected exactly one <<<user>>> line" },
    ]);
  }
  const template = { ...meta.data, system: (system ?? "").trim(), user: user.trim() };
  const used = new Set([...placeholders(template.system), ...placeholders(template.user)]);
  const problems = [
    ...((template.user.match(/^<<<step>>>$/gm) ?? []).length > 1
      ? ["at most one <<<step>>> line may split the user part"]
      : []),
    ...[...used]
      .filter((n) => !(n in template.inputs))
      .map((n) => `placeholder {{${n}}} is not a declared input`),
    ...Object.keys(template.inputs)
      .filter((n) => !used.has(n))
      .map((n) => `input ${n} is never used`),
  ];
  if (problems.length > 0) {
    throw new InvalidInputError(
      source,
      problems.map((message) => ({ path: "inputs", message })),
    );
  }
  return template;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{([a-z_][a-z0-9_]*)\}\}/g)].map((m) => m[1] ?? "");
}
