import { loadRepoConfig } from "../local-host.ts";
import { modelRegistry } from "../../config/models.ts";
import { ProviderError } from "../../core/errors.ts";
import { findModels, type ModelInfo } from "../../core/models/registry.ts";
import type { LanguageModel } from "../../ports/language-model.ts";
import { PROVIDERS } from "../../providers/registry.ts";
import { redactDeep } from "../../core/text/redact.ts";
import type { Output } from "../output.ts";

export interface ProviderStatus {
  readonly provider: string;
  readonly configured: boolean;
  /** Why not, or what was wrong with the settings. */
  readonly reason?: string;
  /** With `--check`: the tiny call's result. */
  readonly check?: { readonly ok: boolean; readonly model: string; readonly detail: string };
}

/**
 * `models`: the model table (shipped and the repository's config), which providers this
 * environment configures, and with `check` one tiny call to each configured provider's
 * cheapest model.
 */
export async function modelsCommand(
  workingDir: string,
  options: { readonly check?: boolean },
  env: NodeJS.ProcessEnv,
  output: Output,
): Promise<number> {
  const registry = modelRegistry((await loadRepoConfig(workingDir)).models);
  const statuses: ProviderStatus[] = [];
  const clients = new Map<string, LanguageModel>();
  const secrets: string[] = [];
  for (const setup of PROVIDERS) {
    try {
      const made = setup.create(env);
      if (made) {
        clients.set(setup.name, made.client);
        secrets.push(...made.secrets);
      }
      statuses.push(
        made
          ? { provider: setup.name, configured: true }
          : { provider: setup.name, configured: false, reason: `set ${setup.env[0] ?? "its key"}` },
      );
    } catch (error) {
      statuses.push({
        provider: setup.name,
        configured: false,
        reason: error instanceof Error ? error.message : String(error),
      });
    }
  }
  const checked = options.check
    ? await Promise.all(
        statuses.map(async (s) => {
          const client = clients.get(s.provider);
          return client
            ? {
                ...s,
                check: await tinyCall(
                  client,
                  findModels(registry, { providers: new Set([s.provider]) })[0],
                ),
              }
            : s;
        }),
      )
    : statuses;
  const models = findModels(registry, {});
  const shown = redactDeep(checked, secrets);
  output.emit({ asOf: registry.asOf, providers: shown, models }, () =>
    [
      `Models (prices in $ per 1M tokens: input / output / cache read / cache write; table of ${registry.asOf})`,
      ...models.map(
        (m) =>
          `  ${m.ref.padEnd(40)} ${m.tier.padEnd(8)} ${rate(m)}${m.local ? "  local" : ""}  ${m.capabilities.join(",")}`,
      ),
      "",
      "Providers",
      ...shown.map(
        (s) =>
          `  ${s.provider.padEnd(12)} ${s.configured ? "configured" : `unavailable (${s.reason ?? ""})`}${s.check ? `  check ${s.check.ok ? "ok" : "FAILED"}: ${s.check.model} ${s.check.detail}` : ""}`,
      ),
    ].join("\n"),
  );
  return checked.some((s) => s.check && !s.check.ok) ? 1 : 0;
}

function rate(m: ModelInfo): string {
  const p = m.price;
  return `${p.input} / ${p.output} / ${p.cacheRead} / ${p.cacheWrite}`.padEnd(28);
}

/** One call of a few tokens to the provider's cheapest known model. */
async function tinyCall(
  client: LanguageModel,
  cheapest: ModelInfo | undefined,
): Promise<NonNullable<ProviderStatus["check"]>> {
  if (!cheapest) return { ok: false, model: "-", detail: "no model of this provider is known" };
  const model = cheapest.ref.slice(cheapest.ref.indexOf("/") + 1);
  try {
    const answer = await client.generate({
      model,
      system: "Answer with one word.",
      messages: [{ role: "user", content: [{ type: "text", text: "Say ok." }] }],
      maxOutputTokens: 16,
      tag: { task: "models-check", role: "check", step: null, attempt: 1, turn: 0 },
    });
    const u = answer.usage;
    return {
      ok: true,
      model: cheapest.ref,
      detail: `(${u.input.noCache + u.input.cacheRead} tokens in, ${u.output} out)`,
    };
  } catch (error) {
    const detail =
      error instanceof ProviderError
        ? `${error.kind}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    return { ok: false, model: cheapest.ref, detail };
  }
}
