import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";
import { validate as validateGraphql } from "@octokit/graphql-schema";

/**
 * GitHub's published API descriptions, used to keep the fake GitHub honest: every REST request
 * the app makes must be a documented operation with valid path and query parameters and body,
 * every answer the fake gives must match the documented response schema, and every GraphQL
 * document must validate against GitHub's GraphQL schema. Loaded once per test process.
 */
const require = createRequire(import.meta.url);

interface Operation {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  /** Its last parameter takes slashes. */
  readonly greedy: boolean;
  readonly spec: OperationSpec;
}

interface Parameter {
  readonly name: string;
  readonly in: "path" | "query" | "header" | "cookie";
  readonly required?: boolean;
  readonly schema?: Record<string, unknown>;
}

interface OperationSpec {
  readonly operationId: string;
  readonly parameters?: readonly (Parameter | { $ref: string })[];
  readonly requestBody?: { content?: Record<string, { schema?: unknown }> };
  readonly responses: Record<
    string,
    | {
        content?: Record<string, { schema?: unknown; examples?: Record<string, unknown> }>;
      }
    | { $ref: string }
  >;
}

interface Spec {
  readonly paths: Record<string, Record<string, OperationSpec>>;
  readonly components: Record<string, Record<string, unknown>>;
}

let loaded: { spec: Spec; ajv: Ajv; operations: Operation[] } | null = null;
const validators = new Map<string, ValidateFunction>();

function api() {
  if (loaded) return loaded;
  const spec = toJsonSchema(
    JSON.parse(
      readFileSync(require.resolve("@octokit/openapi/generated/api.github.com.json"), "utf8"),
    ),
  ) as Spec;
  const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: false });
  ajv.addSchema(spec, "github");
  const operations: Operation[] = [];
  for (const [template, methods] of Object.entries(spec.paths))
    for (const [method, operation] of Object.entries(methods)) {
      if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
      const names = [...template.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? "");
      // A file path or a git ref that ends the path may hold slashes.
      const source = template.replace(/\{([^}]+)\}/g, (whole, name: string, offset: number) =>
        offset + whole.length === template.length && (name === "path" || name === "ref")
          ? "(.+)"
          : "([^/]+)",
      );
      operations.push({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${source}$`),
        names,
        greedy: source.endsWith("(.+)"),
        spec: operation,
      });
    }
  // Specific templates first: a trailing path or ref swallows slashes, so it comes last.
  operations.sort((a, b) => Number(a.greedy) - Number(b.greedy) || a.names.length - b.names.length);
  loaded = { spec, ajv, operations };
  return loaded;
}

function resolve<T>(value: T | { $ref: string }): T {
  const ref = (value as { $ref?: string }).$ref;
  if (!ref) return value as T;
  const [, kind, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
  return resolve(api().spec.components[kind ?? ""]?.[name ?? ""] as T | { $ref: string });
}

function validator(key: string, schema: unknown): ValidateFunction {
  let check = validators.get(key);
  if (!check) {
    // References inside the spec point at its components: make them point into the spec.
    check = api().ajv.compile(rebase(schema) as object);
    validators.set(key, check);
  }
  return check;
}

/** OpenAPI 3.0's `nullable: true` as JSON Schema: the schema, or null. */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== "object") return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const converted = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, toJsonSchema(v)]));
  return nullable === true ? { anyOf: [converted, { type: "null" }] } : converted;
}

function rebase(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rebase);
  if (schema === null || typeof schema !== "object") return schema;
  return Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [
      k,
      k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `github${v}` : rebase(v),
    ]),
  );
}

/** The documented operation for a request, and its path parameters. */
export function operationFor(
  method: string,
  path: string,
): { operation: Operation; params: Record<string, string> } | null {
  for (const operation of api().operations) {
    if (operation.method !== method) continue;
    const match = operation.pattern.exec(path);
    if (!match) continue;
    const params = Object.fromEntries(
      operation.names.map((name, i) => [name, decodeURIComponent(match[i + 1] ?? "")]),
    );
    return { operation, params };
  }
  return null;
}

/** What is wrong with a request, by GitHub's description; empty when it is documented and valid. */
export function requestProblems(
  method: string,
  url: URL,
  body: unknown,
): { operation: Operation | null; problems: string[] } {
  const found = operationFor(method, url.pathname);
  if (!found)
    return {
      operation: null,
      problems: [`${method} ${url.pathname} is not a documented operation`],
    };
  const { operation, params } = found;
  const problems: string[] = [];
  const parameters = (operation.spec.parameters ?? []).map((p) => resolve<Parameter>(p));
  for (const p of parameters) {
    const raw =
      p.in === "path"
        ? params[p.name]
        : p.in === "query"
          ? url.searchParams.get(p.name)
          : undefined;
    if (p.in !== "path" && p.in !== "query") continue;
    if (raw === undefined || raw === null) {
      if (p.required === true) problems.push(`missing ${p.in} parameter ${p.name}`);
      continue;
    }
    const value = coerce(raw, p.schema);
    const check = validator(`${operation.template} ${method} param ${p.name}`, p.schema ?? {});
    if (!check(value))
      problems.push(`${p.in} parameter ${p.name}=${raw}: ${api().ajv.errorsText(check.errors)}`);
  }
  for (const name of url.searchParams.keys())
    if (!parameters.some((p) => p.in === "query" && p.name === name))
      problems.push(`query parameter ${name} is not documented`);
  const schema = operation.spec.requestBody?.content?.["application/json"]?.schema;
  if (schema && body !== undefined) {
    const check = validator(`${operation.template} ${method} body`, schema);
    if (!check(body)) problems.push(`body: ${api().ajv.errorsText(check.errors)}`);
  }
  return { operation, problems };
}

/**
 * A response the fake gives, completed from GitHub's documented example for that operation and
 * status (the fake fills only the fields it models), then checked against the documented schema.
 */
export function documentedResponse(
  operation: Operation,
  status: number,
  body: unknown,
): { body: unknown; problems: string[] } {
  const response = operation.spec.responses[String(status)];
  if (!response)
    return {
      body,
      problems: [`status ${status} is not documented for ${operation.spec.operationId}`],
    };
  const content = resolve(response).content?.["application/json"];
  if (!content?.schema) return { body, problems: [] };
  // The first example shaped like ours (a list, or one object) is the base.
  const example = Object.values(content.examples ?? {})
    .map((e) => resolve<{ value?: unknown }>(e as { $ref: string }).value)
    .find((v) => v !== undefined && Array.isArray(v) === Array.isArray(body));
  const completed = complete(content.schema, body, example);
  const check = validator(`${operation.template} ${operation.method} ${status}`, content.schema);
  const problems = check(completed)
    ? []
    : [
        `response ${status} of ${operation.spec.operationId}: ${api().ajv.errorsText(check.errors)}`,
      ];
  return { body: completed, problems };
}

/** What is wrong with a GraphQL document, by GitHub's GraphQL schema. */
export function graphqlProblems(query: string): string[] {
  try {
    return validateGraphql(query).map((e) => `GraphQL: ${e.message}`);
  } catch (error) {
    return [`GraphQL: ${error instanceof Error ? error.message : String(error)}`];
  }
}

/**
 * Ours, with what the schema requires and ours lacks taken from the example (recursively).
 * Optional fields stay absent: an example's `pull_request` must not turn an issue into one.
 */
function complete(schema: unknown, ours: unknown, example: unknown): unknown {
  const node = flatten(schema, ours);
  if (Array.isArray(ours)) {
    const base = Array.isArray(example) ? (example[0] as unknown) : undefined;
    return ours.map((item: unknown) => complete(node.items, item, base));
  }
  if (ours === null || typeof ours !== "object") return ours;
  const out: Record<string, unknown> = {};
  const from =
    example !== null && typeof example === "object" ? (example as Record<string, unknown>) : {};
  for (const key of node.required)
    if (!(key in ours) && key in from) out[key] = structuredClone(from[key]);
  for (const [key, value] of Object.entries(ours))
    out[key] = complete(node.properties[key], value, from[key]);
  return out;
}

/** A schema's properties, required keys and items, through $ref, allOf and the matching anyOf/oneOf branch. */
function flatten(
  schema: unknown,
  value: unknown,
): { properties: Record<string, unknown>; required: string[]; items: unknown } {
  const out = {
    properties: {} as Record<string, unknown>,
    required: [] as string[],
    items: undefined as unknown,
  };
  const visit = (raw: unknown, depth: number): void => {
    if (raw === null || typeof raw !== "object" || depth > 20) return;
    const node = resolve<Record<string, unknown>>(raw as Record<string, unknown>);
    Object.assign(
      out.properties,
      (node["properties"] as Record<string, unknown> | undefined) ?? {},
    );
    out.required.push(...((node["required"] as string[] | undefined) ?? []));
    out.items ??= node["items"];
    for (const part of (node["allOf"] as unknown[] | undefined) ?? []) visit(part, depth + 1);
    const branches = ((node["anyOf"] ?? node["oneOf"]) as unknown[] | undefined) ?? [];
    const wanted = Array.isArray(value) ? "array" : value === null ? "null" : typeof value;
    const branch = branches.find((b) => {
      const t = resolve<Record<string, unknown>>(b as Record<string, unknown>)["type"];
      return t === wanted || (t === undefined && wanted === "object");
    });
    if (branch !== undefined) visit(branch, depth + 1);
  };
  visit(schema, 0);
  return out;
}

function coerce(raw: string, schema: Record<string, unknown> | undefined): unknown {
  const type = schema?.["type"];
  if (type === "integer" || type === "number") return Number(raw);
  if (type === "boolean") return raw === "true" ? true : raw === "false" ? false : raw;
  return raw;
}

/** A documented example value (`#/components/examples/<name>`), to build whole objects from. */
export function example(name: string): Record<string, unknown> {
  const value = resolve<{ value?: unknown }>(
    api().spec.components["examples"]?.[name] as { value?: unknown },
  ).value;
  if (value === null || typeof value !== "object") throw new Error(`no example ${name}`);
  return structuredClone(value) as Record<string, unknown>;
}
