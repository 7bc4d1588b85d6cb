import type { PromptTemplate } from "../core/prompt/template.ts";

export type PromptName = "planner" | "plan-reviewer" | "implementer" | "code-reviewer" | "fixer";

/** The prompt templates, loaded once. */
export type PromptSet = Readonly<Record<PromptName, PromptTemplate>>;
