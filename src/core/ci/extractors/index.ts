import type { Extractor } from "../failure.ts";
import { ava } from "./ava.ts";
import { cargoTest } from "./cargo-test.ts";
import { eslint } from "./eslint.ts";
import { goTest } from "./go-test.ts";
import { jest } from "./jest.ts";
import { mocha } from "./mocha.ts";
import { nodeTest } from "./node-test.ts";
import { pytest } from "./pytest.ts";
import { tap } from "./tap.ts";
import { tsc } from "./tsc.ts";
import { vitest } from "./vitest.ts";

/** The tools whose output is read; a log may hold several (a typecheck step, then tests). */
export const EXTRACTORS: readonly Extractor[] = [
  vitest,
  jest,
  nodeTest,
  ava,
  mocha,
  tap,
  pytest,
  goTest,
  cargoTest,
  tsc,
  eslint,
];

export { generic } from "./generic.ts";
