import { readdirSync } from "node:fs";
import { join } from "node:path";
import js from "@eslint/js";
import tseslint from "typescript-eslint";

/** A rule that keeps the files of one layer from importing the named folders of `src/`. */
function layer(files, forbidden, pure) {
  return [
    {
      files: [files],
      rules: {
        "no-restricted-imports": ["error", { patterns: outerPatterns(files, forbidden, pure) }],
      },
    },
  ];
}

/** The patterns of `layer`. */
function outerPatterns(files, forbidden, pure) {
  return [
    {
      regex: `^(\\.\\./)+(${forbidden.join("|")})/`,
      message: `${files} may not import from src/{${forbidden.join(",")}} (see docs/architecture.md)`,
    },
    ...(pure ? [{ regex: "^node:", message: "core and ports are pure: no Node.js modules" }] : []),
  ];
}

/**
 * Core's own layers, lowest first: a file of `src/core` may import its own layer and those before
 * it, never one after it. An entry is a folder of `src/core` or one file or folder inside one
 * (`task/transition.ts` and `task/transition/`: the reducer sits above the reports it renders,
 * the rest of `task/` below them). `test/core/
 * import-cycles.test.ts` checks that no file imports itself back around a circle.
 */
const CORE_LAYERS = [
  ["vocabulary", "errors.ts"], // leaf types: roles, model refs, efforts, routing decisions
  ["text", "sweep"],
  ["prompt", "policy", "ci"],
  ["edit", "look", "checks", "instructions"],
  ["cost", "models"],
  ["plan"],
  ["task"], // the definition, the stored document, effects and events
  ["learning"],
  ["routing"],
  ["report"],
  ["task/transition.ts", "task/transition", "task/phases.ts"], // the reducer, a file per phase
];

const OUTSIDE_CORE = ["ports", "engine", "adapters", "providers", "app", "cli", "config"];

/** One rule per layer of CORE_LAYERS: the outer layers' patterns and every later core layer. */
function coreLayers() {
  const entries = CORE_LAYERS.flat();
  const unplaced = readdirSync(join(import.meta.dirname, "src/core")).filter(
    (name) => !entries.includes(name),
  );
  if (unplaced.length > 0)
    throw new Error(`eslint.config.js: put src/core/{${unplaced.join(",")}} in CORE_LAYERS`);
  const escape = (text) => text.replace(/[.]/g, "\\.");
  /** The import specifiers that reach `entry` from a file whose layer holds `own`. */
  const reaching = (entry, own) => {
    const folder = entry.includes("/") ? entry.slice(0, entry.indexOf("/")) : null;
    const tail = entry.endsWith(".ts") ? "$" : "/";
    const from = `^(\\.\\./)+${escape(entry)}${tail}`;
    if (!folder || !own.includes(folder)) return [from];
    return [from, `^\\./${escape(entry.slice(folder.length + 1))}${tail}`];
  };
  return CORE_LAYERS.map((layerEntries, index) => {
    const later = CORE_LAYERS.slice(index + 1).flat();
    const asFiles = (entry) =>
      entry.endsWith(".ts") ? `src/core/${entry}` : `src/core/${entry}/**`;
    const inside = (entry) =>
      entries.filter((e) => e.startsWith(`${entry}/`) && !layerEntries.includes(e));
    return {
      files: layerEntries.map(asFiles),
      ignores: layerEntries.flatMap(inside).map(asFiles),
      rules: {
        "no-restricted-imports": [
          "error",
          {
            patterns: [
              ...outerPatterns("src/core/**", OUTSIDE_CORE, true),
              ...later.flatMap((entry) =>
                reaching(entry, layerEntries).map((regex) => ({
                  regex,
                  message: `src/core/{${layerEntries.join(",")}} may not import src/core/${entry}: it is a later layer of CORE_LAYERS (eslint.config.js, docs/architecture.md)`,
                })),
              ),
            ],
          },
        ],
      },
    };
  });
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
  ...layer("src/core/**", OUTSIDE_CORE, true),
  ...coreLayers(),
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
