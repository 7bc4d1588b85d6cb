import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "./package-root.ts";
import { InvalidInputError } from "../core/errors.ts";
import {
  buildRegistry,
  ModelTable,
  type ModelOverrides,
  type ModelRegistry,
  type OverridePolicy,
} from "../core/models/registry.ts";
import { readYaml } from "../core/text/yaml-source.ts";

/** The dated model table shipped with the project. */
export const MODELS_FILE = join(PACKAGE_ROOT, "models.yaml");

let shipped: ModelTable | undefined;

/** `models.yaml`, read and checked once per process. */
export function shippedModels(): ModelTable {
  if (shipped) return shipped;
  const { doc } = readYaml(readFileSync(MODELS_FILE, "utf8"), MODELS_FILE);
  const parsed = ModelTable.safeParse(doc.toJS());
  if (!parsed.success)
    throw new InvalidInputError(
      MODELS_FILE,
      parsed.error.issues.map((i) => ({ path: i.path.join("."), message: i.message })),
    );
  shipped = parsed.data;
  return shipped;
}

/** The shipped table with a config's `models` applied. */
export function modelRegistry(overrides?: ModelOverrides, policy?: OverridePolicy): ModelRegistry {
  return buildRegistry(shippedModels(), overrides, policy);
}
