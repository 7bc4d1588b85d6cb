import { randomBytes } from "node:crypto";
import { commandLine, neutralise, stopCommandsBlock } from "./workflow-commands.ts";

/**
 * Everything the Action prints goes through here: the runner reads its output for workflow
 * commands, and text from outside (tool names a model chose, model text, error messages,
 * titles) must never be one. Only `command` prints a command; all else is neutralised.
 */
export interface ActionPrinter {
  /** One of our own workflow commands; its data stays on its line. */
  command(name: string, data: string, properties?: Readonly<Record<string, string>>): void;
  /** A line (or lines) from outside, none of which can start a workflow command. */
  text(text: string): void;
  /** Lines from outside, also between `::stop-commands::` and a fresh random token. */
  block(text: string): void;
  /** A pino destination: every log line (JSON, with outside text inside) neutralised. */
  readonly log: { write(chunk: string): void };
}

/** 128 random bits as hex: a stop-commands token nobody can guess. */
export const randomToken = (): string => randomBytes(16).toString("hex");

export function actionPrinter(
  write: (line: string) => void,
  token: () => string = randomToken,
): ActionPrinter {
  const text = (t: string): void => {
    for (const line of neutralise(t).split(/\r\n|[\r\n\u0085\u2028\u2029]/)) write(line);
  };
  return {
    command: (name, data, properties) => write(commandLine(name, data, properties)),
    text,
    block(t) {
      let tok = token();
      // A token the text happens to hold would end the block early: draw another.
      while (t.includes(tok)) tok = token();
      for (const line of stopCommandsBlock(t, tok)) write(line);
    },
    log: {
      write(chunk) {
        text(chunk.endsWith("\n") ? chunk.slice(0, -1) : chunk);
      },
    },
  };
}
