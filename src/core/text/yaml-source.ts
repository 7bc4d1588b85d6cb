import { LineCounter, parseDocument, type Document } from "yaml";
import { InvalidInputError } from "../errors.ts";

/** A parsed YAML text and the line counter that maps its offsets to lines. */
export interface YamlSource {
  readonly doc: Document.Parsed;
  readonly lines: LineCounter;
}

/** Parses YAML, or throws one error listing every syntax problem with its line. */
export function readYaml(text: string, source: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new InvalidInputError(
      source,
      doc.errors.map((e) => ({
        path: "",
        message: e.message.split("\n")[0] ?? e.message,
        line: lines.linePos(e.pos[0]).line,
      })),
    );
  }
  return { doc, lines };
}
