import { parse, type ParserPlugin } from "@babel/parser";

type Statement = ReturnType<typeof parse>["program"]["body"][number];
type Expression = Extract<Statement, { type: "ExpressionStatement" }>["expression"];

/** Files whose top-level symbols can be read, by extension, with the parser plugins they need. */
const LANGUAGES: Readonly<Record<string, readonly ParserPlugin[]>> = {
  js: ["jsx"],
  jsx: ["jsx"],
  mjs: [],
  cjs: [],
  ts: ["typescript"],
  mts: ["typescript"],
  cts: ["typescript"],
  tsx: ["typescript", "jsx"],
};

/** Whether `symbolsOf` reads this file. */
export function hasSymbols(path: string): boolean {
  return pluginsFor(path) !== null;
}

export function pluginsFor(path: string): readonly ParserPlugin[] | null {
  const ext = /\.([a-z]+)$/.exec(path)?.[1] ?? "";
  if (/\.d\.[mc]?ts$/.test(path)) return [["typescript", { dts: true }]];
  return Object.hasOwn(LANGUAGES, ext) ? (LANGUAGES[ext] ?? null) : null;
}

/**
 * The top-level symbols a JavaScript or TypeScript file declares, in source order: functions as
 * `name()`, classes, interfaces, types and enums with their kind, variables by name, a default
 * export as `default`. Null when the file does not parse (the map shows it without symbols).
 */
export function symbolsOf(path: string, text: string): string[] | null {
  const plugins = pluginsFor(path);
  if (plugins === null) return null;
  let body: Statement[];
  try {
    body = parse(text, {
      sourceType: "unambiguous",
      plugins: [...plugins],
      errorRecovery: false,
      allowReturnOutsideFunction: true,
      allowImportExportEverywhere: true,
    }).program.body;
  } catch {
    return null;
  }
  const names: string[] = [];
  for (const statement of body) names.push(...declared(statement));
  return [...new Set(names)];
}

function declared(node: Statement): string[] {
  switch (node.type) {
    case "FunctionDeclaration":
      return node.id ? [`${node.id.name}()`] : [];
    case "ClassDeclaration":
      return node.id ? [`class ${node.id.name}`] : [];
    case "VariableDeclaration":
      return node.declarations.flatMap((d) => (d.id.type === "Identifier" ? [d.id.name] : []));
    case "TSInterfaceDeclaration":
      return [`interface ${node.id.name}`];
    case "TSTypeAliasDeclaration":
      return [`type ${node.id.name}`];
    case "TSEnumDeclaration":
      return [`enum ${node.id.name}`];
    case "TSModuleDeclaration":
      return node.id.type === "Identifier" ? [`namespace ${node.id.name}`] : [];
    case "ExportNamedDeclaration":
      if (node.declaration) return declared(node.declaration);
      return node.specifiers.flatMap((s) =>
        s.exported.type === "Identifier" ? [s.exported.name] : [],
      );
    case "ExportDefaultDeclaration": {
      const d = node.declaration;
      if ((d.type === "FunctionDeclaration" || d.type === "ClassDeclaration") && d.id)
        return [`default ${declared(d)[0] ?? ""}`.trim()];
      return ["default"];
    }
    case "ExpressionStatement":
      return commonJsExport(node.expression);
    default:
      return [];
  }
}

/** `module.exports = …` and `exports.name = …` / `module.exports.name = …`. */
function commonJsExport(e: Expression): string[] {
  if (e.type !== "AssignmentExpression" || e.left.type !== "MemberExpression") return [];
  const target = e.left.object;
  const property = e.left.property.type === "Identifier" ? e.left.property.name : "";
  const isName = (node: typeof target, name: string): boolean =>
    node.type === "Identifier" && node.name === name;
  if (isName(target, "module") && property === "exports") return ["module.exports"];
  const onExports =
    isName(target, "exports") ||
    (target.type === "MemberExpression" && isName(target.object, "module"));
  return onExports && property ? [property] : [];
}
