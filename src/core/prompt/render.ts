import { InvalidInputError } from "../errors.ts";
import { fenceUntrusted } from "./fence.ts";
import type { PromptTemplate } from "./template.ts";

/** What a trusted input may be: a risk, an area, a complexity. Anything longer is data. */
const TOKEN = /^[a-z][a-z0-9_-]{0,31}$/;

/** Where a template's user part stops being the same for every call of a task. */
const STEP_MARKER = /^<<<step>>>$/m;

export interface RenderedPrompt {
  /** `id@version`, recorded with every call. */
  readonly prompt: string;
  readonly system: string;
  /** The user message: its stable part (the same for every call of a task), then the rest. */
  readonly user: string;
  /** `user` split where the template marks `<<<step>>>`: one part, or the stable part and the rest. */
  readonly userParts: readonly string[];
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
  const loose = Object.entries(template.inputs)
    .filter(([name, kind]) => kind === "trusted" && !TOKEN.test(inputs[name] ?? ""))
    .map(([name]) => ({ path: name, message: "a trusted input must be a short lowercase token" }));
  if (loose.length > 0)
    throw new InvalidInputError(`prompt ${template.id}@${template.version}`, loose);
  const fill = (text: string): string =>
    text.replace(/\{\{([a-z_][a-z0-9_]*)\}\}/g, (_, name: string) => {
      const value = inputs[name] ?? "";
      const kind = template.inputs[name];
      if (kind === "trusted") return value;
      return fenceUntrusted(name, value, kind === "source" ? "source" : "markdown");
    });
  const userParts = template.user.split(STEP_MARKER).map((part) => fill(part.trim()));
  return {
    prompt: `${template.id}@${template.version}`,
    system: fill(template.system),
    user: userParts.join("\n\n"),
    userParts,
  };
}
