import { z } from "zod";

/** Dollars written in an environment variable, e.g. `25` or `2.50`. */
export const Dollars = z
  .string()
  .regex(/^\d+(\.\d+)?$/, "must be dollars, e.g. 25 or 2.50")
  .transform(Number)
  .pipe(z.number().positive().max(1_000_000));
