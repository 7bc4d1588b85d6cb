import { InvalidInputError, OrchestratorError } from "../core/errors.ts";

export const EXIT = { ok: 0, failed: 1, invalid: 2, awaitingHuman: 3 } as const;

export interface Output {
  readonly json: boolean;
  /** Prints text for people, or the value as one JSON document with --json. */
  emit(value: unknown, text: () => string): void;
}

export function createOutput(
  json: boolean,
  write: (text: string) => void = (t) => process.stdout.write(t),
): Output {
  return {
    json,
    emit: (value, text) => {
      write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text()}\n`);
    },
  };
}

/** One clear message and an exit code for an error that reaches the top. */
export function reportError(error: unknown, json: boolean): number {
  const invalid = error instanceof InvalidInputError;
  const message = error instanceof Error ? error.message : String(error);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ error: { name: error instanceof Error ? error.name : "Error", message, ...(invalid ? { problems: error.problems } : {}) } }, null, 2)}\n`,
    );
  } else {
    process.stderr.write(`orchestrator: ${message}\n`);
  }
  return invalid
    ? EXIT.invalid
    : error instanceof OrchestratorError && error.fault === "user"
      ? EXIT.invalid
      : EXIT.failed;
}
