import { pino, type DestinationStream, type Logger } from "pino";
import { redactDeep, redactSecrets } from "../../core/text/redact.ts";

/**
 * A pino logger that redacts credentials and the given secret values from every line: its
 * messages and its fields, whoever logs through it (our code, or Probot's own request logs).
 * `secrets` is read at each line, so values learnt after it was made are redacted too.
 */
export function redactingPino(
  level: string,
  secrets: () => readonly string[],
  destination: DestinationStream = pino.destination(1),
): Logger {
  return pino(
    {
      level,
      formatters: { log: (fields) => redactDeep(fields, secrets()) },
      hooks: {
        logMethod(args, method) {
          method.apply(
            this,
            args.map((a) => (typeof a === "string" ? redactSecrets(a, secrets()) : a)) as [string],
          );
        },
      },
    },
    destination,
  );
}
