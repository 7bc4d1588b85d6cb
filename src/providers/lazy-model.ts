import type { LanguageModel } from "../ports/language-model.ts";

/**
 * A client whose SDK is loaded at its first call: a host loads only the SDKs of the providers it
 * calls (the three vendor SDKs take about 36 MB of a process's memory together).
 */
export function lazyModel(provider: string, load: () => Promise<LanguageModel>): LanguageModel {
  let model: Promise<LanguageModel> | null = null;
  return {
    provider,
    generate: async (request, options) => {
      model ??= load();
      return (await model).generate(request, options);
    },
  };
}
