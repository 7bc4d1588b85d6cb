import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../../config/package-root.ts";
import { parsePromptTemplate } from "../../core/prompt/template.ts";
import type { PromptName, PromptSet } from "../../ports/prompts.ts";

/** The prompt templates shipped with the project. */
export const PROMPTS_DIR = join(PACKAGE_ROOT, "prompts");

const NAMES: readonly PromptName[] = [
  "planner",
  "plan-reviewer",
  "implementer",
  "code-reviewer",
  "fixer",
];

/** Reads and checks every prompt template once, at start-up. */
export async function loadPrompts(directory: string): Promise<PromptSet> {
  const entries = await Promise.all(
    NAMES.map(async (name) => {
      const file = join(directory, `${name}.md`);
      return [name, parsePromptTemplate(await readFile(file, "utf8"), file)] as const;
    }),
  );
  return Object.fromEntries(entries) as PromptSet;
}
