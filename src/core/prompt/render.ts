import { InvalidInputError } from "../errors.ts";
import { sanitizeUntrusted } from "../text/sanitize.ts";
import type { PromptTemplate } from "./template.ts";

export interface RenderedPrompt {
  /** `id@version`, recorded with every call. */
  readonly prompt: string;
  readonly system: string;
  readonly user: string;
}

/**
 * Fills a template. Every declared input must be given. Untrusted inputs are sanitised and
 * placed in a tagged, fenced `<data>` section that cannot be closed from inside.
 */
export function renderPrompt(
  template: PromptTemplate,
  inputs: Readonly<Record<string, string>>,
): RenderedPrompt {
  const missing = Object.keys(template.inputs).filter((name) => inputs[name] === undefined);
  if (missing.length > 0) {
    throw new InvalidInputError(
      `prompt ${template.id}@${template.version}`,
      missing.map((name) => ({ path: name, message: "missing input" })),
    );
  }
  const fill = (text: string): string =>
    text.replace(/\{\{([a-z_][a-z0-9_]*)\}\}/g, (_, name: string) => {
      const value = inputs[name] ?? "";
      return template.inputs[name] === "untrusted" ? fenceUntrusted(name, value) : value;
    });
  return {
    prompt: `${template.id}@${template.version}`,
    system: fill(template.system),
    user: fill(template.user),
  };
}

/** Wraps untrusted text so that nothing inside can pass for our own markup or end the fence. */
export function fenceUntrusted(name: string, text: string): string {
  const clean = sanitizeUntrusted(text).replace(/<(\/?)data\b/gi, "<$1data\u2024");
  const longest = Math.max(2, ...[...clean.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `<data name="${name}">\n${fence}\n${clean}\n${fence}\n</data>`;
}
