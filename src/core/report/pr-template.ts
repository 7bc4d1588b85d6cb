/**
 * Where GitHub looks for a repository's pull request template, in its order: one file named
 * `pull_request_template` (any case, `.md`, `.txt` or no extension) in `.github/`, the root or
 * `docs/`; or a `PULL_REQUEST_TEMPLATE/` folder in one of those, which GitHub applies only
 * through a `?template=` query, so it is used here only when it holds a single template.
 * https://docs.github.com/en/communities/using-templates-to-encourage-useful-issues-and-pull-requests/creating-a-pull-request-template-for-your-repository
 */
export function pullRequestTemplatePath(paths: readonly string[]): string | null {
  const folders = [".github/", "", "docs/"];
  const name = /^pull_request_template(?:\.md|\.txt)?$/i;
  for (const folder of folders) {
    const found = paths.find(
      (p) => p.toLowerCase().startsWith(folder) && name.test(p.slice(folder.length)),
    );
    if (found) return found;
  }
  for (const folder of folders) {
    const inside = paths.filter((p) => {
      const lower = p.toLowerCase();
      const rest = lower.slice(folder.length);
      return (
        lower.startsWith(`${folder}pull_request_template/`) &&
        /^pull_request_template\/[^/]+\.(?:md|txt)$/.test(rest)
      );
    });
    if (inside.length === 1) return inside[0] ?? null;
  }
  return null;
}

/** Our sections, by heading text, and the template headings each one fills. */
const FILLS: readonly { readonly ours: string; readonly theirs: RegExp }[] = [
  { ours: "Summary", theirs: /summary|description|what does|overview|about|motivation|why/i },
  { ours: "Steps", theirs: /changes|what changed|implementation|details|steps/i },
  { ours: "Quality gate", theirs: /test|verif|checks|\bci\b|how .*tested|validation/i },
  { ours: "Cost", theirs: /cost/i },
];

const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$/;

/**
 * The pull request body in the repository's template: the template is kept as written (its
 * headings, text and unticked checklists; its HTML comments, hints to the author, dropped),
 * each of our sections goes under the first template heading that asks for it (the summary
 * under "Description", the gate under "How has this been tested?"…) after what the template
 * put there, and the sections no heading asks for follow the template. `body` is ours, in
 * `### Summary`, `### Steps`, `### Quality gate`, `### Cost` sections. Without a template,
 * `body` as it is.
 */
export function fillPullRequestTemplate(template: string | null, body: string): string {
  if (template === null || template.trim() === "") return body;
  const ours = splitSections(body);
  // The template's HTML comments are hints to the author, hidden once rendered; the boundary
  // escapes comments in what we post, which would show them, so they go.
  const lines = template
    .replace(/\r\n?/g, "\n")
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()
    .split("\n");
  const placed = new Map<number, string[]>();
  const used = new Set<string>();
  let fence: string | null = null;
  const headings: { index: number; text: string }[] = [];
  lines.forEach((line, index) => {
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (marker && (fence === null || marker.startsWith(fence)))
      fence = fence === null ? marker : null;
    const heading = fence === null ? HEADING.exec(line) : null;
    if (heading) headings.push({ index, text: heading[2] ?? "" });
  });
  for (const { ours: name, theirs } of FILLS) {
    const section = ours.get(name);
    const target = headings.find((h) => theirs.test(h.text));
    if (section === undefined || !target) continue;
    const next = headings.find((h) => h.index > target.index)?.index ?? lines.length;
    placed.set(next, [...(placed.get(next) ?? []), section]);
    used.add(name);
  }
  const out: string[] = [];
  for (let i = 0; i <= lines.length; i++) {
    const insert = placed.get(i);
    if (insert) {
      while (out.length > 0 && out.at(-1)?.trim() === "") out.pop();
      out.push("", ...insert.flatMap((s) => [s, ""]));
    }
    if (i < lines.length) out.push(lines[i] ?? "");
  }
  const rest = [...ours]
    .filter(([name]) => !used.has(name))
    .map(([name, text]) => (name === "" ? text : `### ${name}\n\n${text}`));
  return [out.join("\n").trimEnd(), ...rest].join("\n\n");
}

const OURS = /^#{2,3} (Summary|Steps|Quality gate|Cost)[ \t]*$/gm;

/**
 * Our body's sections by name, without their headings (only our own heading names split it,
 * so a heading inside quoted model text does not); text before the first is kept under "".
 */
function splitSections(body: string): Map<string, string> {
  const sections = new Map<string, string>();
  const marks = [...body.matchAll(OURS)];
  const lead = body.slice(0, marks[0]?.index ?? body.length).trim();
  if (lead !== "") sections.set("", lead);
  marks.forEach((m, i) => {
    const end = marks[i + 1]?.index ?? body.length;
    sections.set(m[1] ?? "", body.slice(m.index + m[0].length, end).trim());
  });
  return sections;
}
