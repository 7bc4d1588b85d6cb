import { describe, expect, it } from "vitest";
import {
  fillPullRequestTemplate,
  pullRequestTemplatePath,
} from "../../src/core/report/pr-template.ts";

const BODY = [
  "### Summary\n\nAdd truncate().",
  "### Steps\n\n| step | what |\n|---|---|\n| S1 | module |",
  "### Quality gate\n\npassed after 1 run(s), 0 fix(es)",
  "### Cost\n\nTotal: $0.01",
].join("\n\n");

// The shape of the widely copied template (Description, Type of change, testing, checklist).
const TEMPLATE = `## Description

<!-- Please include a summary of the change and which issue is fixed. -->

Fixes # (issue)

## Type of change

- [ ] Bug fix
- [ ] New feature

\`\`\`
## not a heading: inside a code block
\`\`\`

## How Has This Been Tested?

<!-- Describe the tests that you ran. -->

## Checklist

- [ ] My code follows the style guidelines of this project
`;

describe("fillPullRequestTemplate", () => {
  it("keeps the template (but its hidden comments) and fills its headings with our sections, the rest after it", () => {
    expect(fillPullRequestTemplate(TEMPLATE, BODY)).toBe(`## Description

Fixes # (issue)

Add truncate().

## Type of change

- [ ] Bug fix
- [ ] New feature

\`\`\`
## not a heading: inside a code block
\`\`\`

## How Has This Been Tested?

passed after 1 run(s), 0 fix(es)

## Checklist

- [ ] My code follows the style guidelines of this project

### Steps

| step | what |
|---|---|
| S1 | module |

### Cost

Total: $0.01`);
  });

  it("appends every section after a template without headings, and leaves our body alone without one", () => {
    expect(
      fillPullRequestTemplate("Thanks for contributing!\r\n- [ ] signed the CLA\r\n", BODY),
    ).toBe(`Thanks for contributing!\n- [ ] signed the CLA\n\n${BODY}`);
    expect(fillPullRequestTemplate(null, BODY)).toBe(BODY);
    expect(fillPullRequestTemplate("  \n", BODY)).toBe(BODY);
  });
});

describe("pullRequestTemplatePath", () => {
  it("finds the template where GitHub documents it, .github first, any case", () => {
    expect(
      pullRequestTemplatePath(["docs/pull_request_template.md", "PULL_REQUEST_TEMPLATE.md"]),
    ).toBe("PULL_REQUEST_TEMPLATE.md");
    expect(
      pullRequestTemplatePath(["pull_request_template.md", ".github/PULL_REQUEST_TEMPLATE.md"]),
    ).toBe(".github/PULL_REQUEST_TEMPLATE.md");
    expect(pullRequestTemplatePath(["docs/Pull_Request_Template.txt"])).toBe(
      "docs/Pull_Request_Template.txt",
    );
    expect(pullRequestTemplatePath(["src/pull_request_template.md", "README.md"])).toBeNull();
  });

  it("uses a PULL_REQUEST_TEMPLATE/ folder only when it holds one template", () => {
    expect(pullRequestTemplatePath([".github/PULL_REQUEST_TEMPLATE/feature.md"])).toBe(
      ".github/PULL_REQUEST_TEMPLATE/feature.md",
    );
    expect(
      pullRequestTemplatePath([
        ".github/PULL_REQUEST_TEMPLATE/a.md",
        ".github/PULL_REQUEST_TEMPLATE/b.md",
      ]),
    ).toBeNull();
  });
});
