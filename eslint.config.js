import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** A rule that keeps the files of one layer from importing the named folders of `src/`. */
function layer(files, forbidden, pure) {
  const folders = forbidden.join("|");
  return [
    {
      files: [files],
      rules: {
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              {
                regex: `^(\\.\\./)+(${folders})/`,
                message: `${files} may not import from src/{${forbidden.join(",")}} (see docs/architecture.md)`,
              },
              ...(pure
                ? [{ regex: "^node:", message: "core and ports are pure: no Node.js modules" }]
                : []),
            ],
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      "node_modules/**",
      "demo/sample-repo/**",
      "coverage/**",
      "test/fixtures/agent-clis/**",
      // The Action bundle is built from src/ (npm run build:action).
      "dist/**",
      // The App's and the CLI's bundles (scripts/build-app.ts, scripts/build-cli.ts).
      "build/**",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      "@typescript-eslint/no-confusing-void-expression": [
        "error",
        { ignoreArrowShorthand: true, ignoreVoidReturningFunctions: true },
      ],
      "no-console": "error",
    },
  },
  {
    // Asymmetric matchers (expect.any, objectContaining) are typed `any`; fixtures are known to exist.
    files: ["test/**"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
  {
    files: ["src/cli/**", "bench/**", "scripts/**"],
    rules: { "no-console": "off" },
  },
  // Layers: core imports nothing outside core; ports only core types; the engine no adapter or
  // host; adapters and providers never a host.
  ...layer(
    "src/core/**",
    ["ports", "engine", "adapters", "providers", "app", "cli", "config"],
    true,
  ),
  ...layer("src/ports/**", ["engine", "adapters", "providers", "app", "cli", "config"], true),
  ...layer("src/engine/**", ["adapters", "providers", "app", "cli", "config"], false),
  ...layer("src/adapters/**", ["app", "cli"], false),
  ...layer("src/providers/**", ["app", "cli", "adapters"], false),
  {
    // One path to a paid model: in the engine, only the model caller's stages (and the
    // boundary that wraps the ports) call a model or run a coding agent.
    files: ["src/engine/**"],
    ignores: ["src/engine/calls/**", "src/engine/boundary.ts", "src/engine/deps.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.property.name='generate']",
          message: "call models through the model caller (engine/calls/model-caller.ts)",
        },
        {
          selector: "ImportDeclaration[source.value=/ports\\/coding-agent\\.ts$/]",
          message: "run coding agents through the model caller (caller.agentAt)",
        },
      ],
    },
  },
  {
    // The hosts' handlers decide nothing and post nothing themselves: GitHub's API is called in
    // src/adapters/github (what is posted passes engine/boundary.ts), the task is woken through
    // the engine (`Engine.wake`).
    files: ["src/app/handlers/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@octokit/|octokit$|probot$)",
              message: "call GitHub in src/adapters/github, not in a handler",
            },
          ],
        },
      ],
      "no-restricted-syntax": [
        "error",
        {
          selector: "MemberExpression[property.name=/^(rest|graphql|paginate|request|hook)$/]",
          message:
            "call GitHub in src/adapters/github, not in a handler (Octokit stays in adapters)",
        },
      ],
    },
  },
  {
    files: ["eslint.config.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
