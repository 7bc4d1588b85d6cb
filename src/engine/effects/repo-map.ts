import { repoMap, type MapFile } from "../../core/look/repo-map.ts";
import { hasSymbols, symbolsOf } from "../../core/look/symbols.ts";
import { pathRefusal } from "../../core/policy/paths.ts";
import type { WorkTree } from "../../ports/workspace.ts";

/**
 * Tokens the map may take, chosen from `npm run bench:map`: the demo's map is 41 tokens with
 * every symbol; this repository's (518 files) 32,793 with every symbol, 7,751 with four per
 * file, 3,043 as paths only; renovate's (3,950 files) 65,871 with every symbol, 2,470 as
 * folders two deep with file counts. At 4,000 tokens a repository of ~100 source files shows
 * every symbol and one of ~600 files every path; that is a quarter of the context the prompts
 * carry, read from the cache after a task's first call (bench:cost stays above 94 %).
 */
export const MAP_TOKENS = 4_000;
/** Files parsed for symbols at most, and the largest one parsed (bytes). */
const MAX_PARSED = 600;
const MAX_PARSED_BYTES = 200_000;

/**
 * The repository map for a task's prompts: the tree and top-level symbols of the files at the
 * task's base commit, so that every prompt of the task carries the same map (it sits in the
 * prompts' cached part) whatever the steps have changed since.
 */
export async function repositoryMap(
  tree: Pick<WorkTree, "filesAt" | "readAt">,
  commit: string,
  countTokens: (text: string) => number,
  budgetTokens = MAP_TOKENS,
): Promise<string> {
  const files = (await tree.filesAt(commit)).filter(
    (f) => pathRefusal(f.path, { write: false, protectedPaths: [] }) === null,
  );
  const paths: MapFile[] = files.map((f) => ({ path: f.path, symbols: null }));
  const bare = repoMap(paths, budgetTokens, countTokens);
  // Symbols take about three times the tokens of the paths (3.2× on this repository): when
  // they could not fit, nothing is parsed.
  if (bare.detail !== "symbols" || bare.tokens * 2 > budgetTokens) return bare.text;
  const parsed = files
    .filter((f) => hasSymbols(f.path) && f.size <= MAX_PARSED_BYTES)
    .slice(0, MAX_PARSED);
  const symbols = new Map<string, readonly string[] | null>();
  for (let i = 0; i < parsed.length; i += 8)
    await Promise.all(
      parsed.slice(i, i + 8).map(async (f) => {
        const text = await tree.readAt(commit, f.path);
        symbols.set(f.path, text === null ? null : symbolsOf(f.path, text));
      }),
    );
  return repoMap(
    files.map((f) => ({ path: f.path, symbols: symbols.get(f.path) ?? null })),
    budgetTokens,
    countTokens,
  ).text;
}
