import { z } from "zod";
import { InvalidInputError, type Problem } from "../core/errors.ts";

/** An environment read through a schema (unset and empty variables alike absent), or one error naming every bad variable. */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: NodeJS.ProcessEnv,
  what: string,
): z.infer<S> {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems: Problem[] = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join("."),
    message: i.message,
  }));
  throw new InvalidInputError(what, problems);
}

/** pino's levels, for `LOG_LEVEL`. */
export const LogLevel = z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]);
