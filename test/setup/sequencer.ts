import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The crash proofs take about a minute each; without earlier results vitest orders files by
 * size and these small files would start last, leaving one core idle at the end. They start
 * first, longest first, whatever the cache holds.
 */
const LONGEST = [
  "test/engine/crash-recovery-",
  "test/e2e/github-crash-",
  "test/cli/cli.test.ts",
  "test/e2e/github-ci-loop.test.ts",
  "test/e2e/github-durability.test.ts",
  "test/e2e/github-replicas.test.ts",
  "test/app/probot-env.test.ts",
  "test/core/text/linear-time.test.ts",
  "test/engine/effect-throws.property.test.ts",
];

export class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification): number => {
      const i = LONGEST.findIndex((prefix) => spec.moduleId.includes(prefix));
      return i === -1 ? LONGEST.length : i;
    };
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}
