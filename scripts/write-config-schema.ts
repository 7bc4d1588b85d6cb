/** Writes the JSON Schemas of the two config files from their zod schemas. */
import { writeFile } from "node:fs/promises";
import { configSchemas } from "../src/config/json-schema.ts";

for (const [file, schema] of Object.entries(configSchemas())) {
  await writeFile(
    new URL(`../schema/${file}`, import.meta.url),
    `${JSON.stringify(schema, null, 2)}\n`,
  );
  console.log(`wrote schema/${file}`);
}
