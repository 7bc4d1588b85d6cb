import { sanitizeUntrusted } from "../text/sanitize.ts";

// Letters that look like the Latin ones of `data` in common scripts (Cyrillic, Greek, others).
const LOOKALIKE: Readonly<Record<string, string>> = {
  а: "a",
  ɑ: "a",
  α: "a",
  ԁ: "d",
  ɗ: "d",
  ｄ: "d",
  т: "t",
  τ: "t",
  ţ: "t",
  ŧ: "t",
  ｔ: "t",
  е: "e",
  ε: "e",
  о: "o",
  ο: "o",
  р: "p",
  ρ: "p",
  с: "c",
  ϲ: "c",
  х: "x",
  у: "y",
  і: "i",
  ı: "i",
  ј: "j",
  ѕ: "s",
  ℓ: "l",
  "‹": "<",
  "〈": "<",
  "⟨": "<",
  "﹤": "<",
  "＜": "<",
  "˂": "<",
  ᐸ: "<",
  "∕": "/",
  "⁄": "/",
  "／": "/",
  "⧸": "/",
  "╱": "/",
  "｀": "`",
  ˋ: "`",
  ˊ: "`",
  "´": "`",
};
// HTML entities for `<` and `/`, which a model may read as the characters.
const ENTITY = /^&(?:lt|#0*60|#x0*3c|sol|#0*47|#x0*2f);?/i;

/**
 * A lower-case, ASCII-leaning copy of `text` (NFKC, lookalike letters folded, `<` and `/`
 * entities decoded) and, for each of its characters, where it came from in `text`.
 */
function skeleton(text: string): { chars: string; from: number[]; to: number[] } {
  let chars = "";
  const from: number[] = [];
  const to: number[] = [];
  for (let i = 0; i < text.length;) {
    if (text[i] === "&") {
      const entity = ENTITY.exec(text.slice(i, i + 12))?.[0];
      if (entity) {
        const c = /lt|60|3c/i.test(entity) ? "<" : "/";
        chars += c;
        from.push(i);
        to.push(i + entity.length);
        i += entity.length;
        continue;
      }
    }
    const point = text.codePointAt(i) ?? 0;
    const original = String.fromCodePoint(point);
    const mapped = (LOOKALIKE[original] ?? original.normalize("NFKC")).toLowerCase();
    for (const c of mapped) {
      chars += LOOKALIKE[c] ?? c;
      from.push(i);
      to.push(i + original.length);
    }
    i += original.length;
  }
  return { chars, from, to };
}

const DATA_TAG = /<\s*\/?\s*d\s*a\s*t\s*a(?![a-z])/g;

/**
 * Wraps untrusted text so that nothing inside can pass for our own markup or end the section:
 * anything that reads as `<data` or `</data` (whatever its spacing, entities, fullwidth or
 * Cyrillic letters) is rewritten to `(data)`, and the fence is longer than any run of backticks
 * or backtick lookalikes inside.
 */
export function fenceUntrusted(
  name: string,
  text: string,
  kind: "markdown" | "source" = "markdown",
): string {
  const clean = neutralizeDataTags(sanitizeUntrusted(text, kind));
  const { chars } = skeleton(clean);
  const longest = Math.max(2, ...[...chars.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const label = name.replace(/[^A-Za-z0-9._/ -]/g, "_").slice(0, 200);
  return `<data name="${label}">\n${fence}\n${clean}\n${fence}\n</data>`;
}

function neutralizeDataTags(text: string): string {
  const { chars, from, to } = skeleton(text);
  const cuts: [number, number][] = [];
  for (const match of chars.matchAll(DATA_TAG)) {
    const start = from[match.index] ?? 0;
    const end = to[match.index + match[0].length - 1] ?? start;
    cuts.push([start, end]);
  }
  let out = "";
  let done = 0;
  for (const [start, end] of cuts) {
    if (start < done) continue;
    out += `${text.slice(done, start)}(data)`;
    done = end;
  }
  return out + text.slice(done);
}
