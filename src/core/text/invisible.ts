// Characters a reader does not see but a model reads, and that some file systems ignore in
// names: Unicode's default-ignorable code points (soft hyphen, zero-width characters and joiners,
// bidi controls, Hangul fillers, variation selectors, Unicode tag characters, which can spell
// whole hidden sentences, and the rest of U+E0000-E0FFF), and the interlinear annotation marks
// U+FFF9-FFFB, which hide the text between them. The class names combining characters on
// purpose: each is removed alone.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u{FFF9}-\u{FFFB}]/gu;

/** The text without its invisible characters: one list for prompts and for repository paths. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "");
}
