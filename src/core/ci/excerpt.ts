import { redactSecrets } from "../text/redact.ts";
import { sanitizeUntrusted } from "../text/sanitize.ts";
import { EXTRACTORS, generic } from "./extractors/index.ts";
import type { Failure } from "./failure.ts";
import { cleanLog } from "./log-text.ts";

/** One failure as a gate result keeps it: what the fixer is pointed at, and its own fingerprint. */
export interface FailureRef {
  readonly tool: string;
  readonly test: string | null;
  /** `file:line[:column]` where it failed, when the log says. */
  readonly location: string | null;
  /** Equal for the same failure in another run, whatever else failed with it and in what order. */
  readonly fingerprint: string;
}

/** What a failed check's log says, made small enough for a prompt. */
export interface LogExcerpt {
  /** The tools recognised in the log, in the order of `EXTRACTORS`; `log` when none was. */
  readonly tools: readonly string[];
  readonly failures: readonly Failure[];
  /** The failures a runner's extractor found (not lines that only say `error:`), once each, at most MAX_REFS. */
  readonly refs: readonly FailureRef[];
  /** Failures first, then the log's last lines; bounded, redacted, never more than `maxChars`. */
  readonly text: string;
  /** Equal for two logs that fail the same way: test names and messages with numbers, ids and durations normalised. */
  readonly fingerprint: string;
}

const TAIL_LINES = 30;
const MAX_REFS = 30;

/** Reads a CI log (raw, as downloaded) into the failures that matter, the tail, and a fingerprint. */
export function excerptLog(raw: string, maxChars = 6_000): LogExcerpt {
  const lines = redactSecrets(cleanLog(sanitizeUntrusted(raw)).join("\n")).split("\n");
  const found = EXTRACTORS.map((e) => e.extract(lines)).filter((f) => f.length > 0);
  const failures = found.length > 0 ? found.flat() : generic.extract(lines);
  const tools = [...new Set(failures.map((f) => f.tool))];
  const tail = lines.filter((l) => l.trim()).slice(-TAIL_LINES);
  return {
    tools: tools.length > 0 ? tools : ["log"],
    failures,
    refs: refsOf(found.length > 0 ? failures : []),
    text: render(failures, tail, maxChars),
    fingerprint: fingerprint(
      failures.length > 0 ? failures.map(signature) : tail.slice(-10).map(normalise),
    ),
  };
}

function render(failures: readonly Failure[], tail: readonly string[], maxChars: number): string {
  const parts: string[] = [];
  let size = 0;
  const add = (part: string): boolean => {
    if (size + part.length + 2 > maxChars) return false;
    parts.push(part);
    size += part.length + 2;
    return true;
  };
  const shown = failures.filter((f) => f.tool !== "log" || failures.length <= 20);
  let listed = 0;
  for (const f of shown) {
    const head = f.test ?? f.location ?? f.tool;
    const lines = [
      `✖ ${head}${f.test && f.location ? ` (${f.location})` : ""}`,
      ...(f.message ? f.message.split("\n").map((l) => `  ${l}`) : []),
      ...f.frames.map((fr) => `    at ${fr}`),
    ];
    if (!add(lines.join("\n"))) break;
    listed += 1;
  }
  if (listed < shown.length) add(`… and ${shown.length - listed} more`);
  const room = maxChars - size - 40;
  const kept: string[] = [];
  for (let i = tail.length - 1, used = 0; i >= 0; i--) {
    const line = (tail[i] ?? "").slice(0, 500);
    if (used + line.length + 1 > room) break;
    kept.unshift(line);
    used += line.length + 1;
  }
  if (kept.length > 0) add(`Last lines of the log:\n${kept.join("\n")}`);
  return parts.join("\n\n").slice(0, maxChars);
}

function refsOf(failures: readonly Failure[]): FailureRef[] {
  const refs = new Map<string, FailureRef>();
  for (const f of failures) {
    const print = fingerprint([signature(f)]);
    if (!refs.has(print))
      refs.set(print, {
        tool: f.tool,
        test: f.test?.slice(0, 300) ?? null,
        location: f.location?.slice(0, 300) ?? null,
        fingerprint: print,
      });
  }
  return [...refs.values()].slice(0, MAX_REFS);
}

function signature(f: Failure): string {
  return `${f.tool}|${f.test ?? f.location?.replace(/:\d+(?::\d+)?$/, "") ?? ""}|${normalise(f.message.split("\n")[0] ?? "")}`;
}

/** Numbers, hex ids, durations and temporary paths vary between runs of the same failure. */
function normalise(text: string): string {
  return text
    .replace(/\b[0-9a-f]{7,40}\b/gi, "<id>")
    .replace(/\d+(?:\.\d+)?\s*(?:ms|s|m)\b/g, "<time>")
    .replace(/\/tmp\/\S+/g, "<tmp>")
    .replace(/\d+/g, "<n>")
    .replace(/\s+/g, " ")
    .trim();
}

/** FNV-1a, 64 bits, over the sorted signatures: short, stable, not a secret. */
function fingerprint(signatures: readonly string[]): string {
  let hash = 0xcbf29ce484222325n;
  for (const ch of [...new Set(signatures)].sort().join("\n")) {
    hash ^= BigInt(ch.codePointAt(0) ?? 0);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, "0");
}
