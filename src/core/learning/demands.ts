/**
 * What reviewers keep asking for, as categories of our own: a reviewer's words are model text
 * about untrusted code, so only the category is kept, never the words.
 */
export const DEMANDS: readonly {
  readonly category: string;
  readonly label: string;
  readonly words: RegExp;
}[] = [
  {
    category: "tests",
    label: "tests for the change (missing, too weak, or an edge case)",
    words: /\btests?\b|coverage|edge case|assert/i,
  },
  {
    category: "errors",
    label: "error handling and input validation",
    words: /\berror|exception|throw|validat|invalid|null|undefined|reject/i,
  },
  {
    category: "docs",
    label: "documentation (README, comments, docstrings)",
    words: /\bdoc|readme|comment|jsdoc|docstring/i,
  },
  {
    category: "naming",
    label: "clearer names and simpler code",
    words: /\bname|rename|readab|simplif|duplicat|refactor/i,
  },
  {
    category: "types",
    label: "types and signatures",
    words: /\btype|signature|interface|generic/i,
  },
  {
    category: "scope",
    label: "keeping to the planned files and steps",
    words: /outside (its|the) plan|planned files|unrelated|scope/i,
  },
  {
    category: "weakening",
    label: "not weakening tests, lint or CI",
    words: /weakens the checks|skip|disable/i,
  },
  { category: "performance", label: "performance", words: /\bperformance|slow|complexity|O\(n/i },
  {
    category: "security",
    label: "security (secrets, injection, unsafe input)",
    words: /\bsecur|secret|inject|sanitiz|escape|xss|token/i,
  },
];

/** The categories a reviewer's required changes fall into (a change may fit several), each once. */
export function demandCategories(changes: readonly string[]): string[] {
  const found = new Set<string>();
  for (const change of changes)
    for (const d of DEMANDS) if (d.words.test(change)) found.add(d.category);
  return [...found];
}
