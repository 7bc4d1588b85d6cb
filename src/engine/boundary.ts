import { boundText, GITHUB_BODY_LIMIT } from "../core/text/bound.ts";
import { neutralizeOutbound, plainTitle, type OutboundPolicy } from "../core/text/outbound.ts";
import { redactDeep, redactKnown, redactSecrets } from "../core/text/redact.ts";
import type { CodeHost } from "../ports/code-host.ts";
import type { CodingAgent } from "../ports/coding-agent.ts";
import type { IssueTracker } from "../ports/issue-tracker.ts";
import type {
  AssistantPart,
  LanguageModel,
  Message,
  ModelRequest,
  ModelResponse,
} from "../ports/language-model.ts";
import type { Logger } from "../ports/logger.ts";
import type { StateStore } from "../ports/state-store.ts";
import type { WorkTree, Workspace } from "../ports/workspace.ts";
import type { Meter, Tracer } from "@opentelemetry/api";
import { guardMeter, guardTracer } from "./guard-telemetry.ts";

/**
 * The one place where what crosses a port is made safe, so that every effect kind, present and
 * future, is covered by construction. Audit this file, not the call sites:
 *
 * | port | what is done |
 * |---|---|
 * | issue tracker, code host | everything posted: secrets redacted; links and images to other hosts, raw HTML and mentions neutralised; bodies cut to `POSTED_LIMIT` with a note; titles one plain line |
 * | state store | documents, run logs, records and journaled answers: secrets redacted (in a journaled assistant turn, the provider's opaque tokens: known secret values only) |
 * | language model | prompts (instructions, data, tool results): secrets redacted before they leave; answers' prose and structured objects redacted on arrival (tool inputs are code and stay) |
 * | language model, the assistant's turns | kept as the model said them (reasoning state, signatures, text, tool calls) with known secret values taken out: they go back only to the provider that wrote them, whose signature and prefix checks refuse a changed byte, and a model fed redacted prompts has no credential to repeat (a credential shape in them is its own invention, or chance in opaque bytes). Journaled like any answer (credential shapes redacted), but for the opaque tokens the adapter names (`verbatim.opaque`) |
 * | coding agent | instructions and the step: secrets redacted before the CLI sees them; its summary redacted on arrival (the files it writes are code, checked like the tool loop's) |
 * | work tree | commit messages: secrets redacted |
 * | logger | messages and metadata, errors included: secrets redacted |
 * | tracer, meter | span names, attributes, events, exceptions, status messages; metric attributes: secrets redacted (`guard-telemetry.ts`) |
 */
export interface BoundaryPolicy extends OutboundPolicy {
  /** Values never to show anywhere (API keys, tokens), besides every credential-shaped string. */
  readonly secrets: readonly string[];
}

export interface Boundaries {
  readonly tracker: IssueTracker;
  readonly codeHost: CodeHost;
  readonly store: StateStore;
  readonly workspace: Workspace;
  readonly logger: Logger;
  readonly tracer: Tracer;
  readonly meter: Meter;
  readonly model: (client: LanguageModel) => LanguageModel;
  readonly agent: (agent: CodingAgent) => CodingAgent;
}

/** The longest body posted: GitHub's limit, less room for what the adapters add (the marker, `Closes #n`). */
export const POSTED_LIMIT = GITHUB_BODY_LIMIT - 1_000;

export function guardPorts(
  ports: {
    readonly tracker: IssueTracker;
    readonly codeHost: CodeHost;
    readonly store: StateStore;
    readonly workspace: Workspace;
    readonly logger: Logger;
    readonly tracer: Tracer;
    readonly meter: Meter;
  },
  policy: BoundaryPolicy,
): Boundaries {
  const redact = (text: string): string => redactSecrets(text, policy.secrets);
  const post = (text: string): string =>
    boundText(neutralizeOutbound(redact(text), policy), POSTED_LIMIT, "this comment");
  const title = (text: string): string => plainTitle(redact(text));
  return {
    tracker: {
      ensureComment: (o) => ports.tracker.ensureComment({ ...o, body: post(o.body) }),
      updateStatus: (o) => ports.tracker.updateStatus({ ...o, body: post(o.body) }),
    },
    codeHost: {
      ensurePullRequest: (o) =>
        ports.codeHost.ensurePullRequest({ ...o, title: title(o.title), body: post(o.body) }),
      reportCheck: (o) =>
        ports.codeHost.reportCheck({ ...o, title: title(o.title), summary: post(o.summary) }),
      ...(ports.codeHost.postReview
        ? {
            postReview: (o: Parameters<NonNullable<CodeHost["postReview"]>>[0]) =>
              ports.codeHost.postReview?.({
                ...o,
                body: post(o.body),
                comments: o.comments.map((c) => ({ ...c, body: post(c.body) })),
              }) ?? Promise.resolve(),
          }
        : {}),
      ...(ports.codeHost.answerReview
        ? {
            answerReview: (o: Parameters<NonNullable<CodeHost["answerReview"]>>[0]) =>
              ports.codeHost.answerReview?.({ ...o, body: post(o.body) }) ?? Promise.resolve(),
          }
        : {}),
    },
    store: {
      load: (task) => ports.store.load(task),
      list: () => ports.store.list(),
      openTasks: () => ports.store.openTasks(),
      existing: (tasks) => ports.store.existing(tasks),
      journal: ports.store.journal,
      readCall: (o) => ports.store.readCall(o),
      ...(ports.store.recordFiles
        ? { recordFiles: () => ports.store.recordFiles?.() ?? Promise.resolve([]) }
        : {}),
      save: (o) =>
        ports.store.save({
          ...o,
          document: redactDeep(o.document, policy.secrets),
          runLog: redact(o.runLog),
          ...(o.records ? { records: { ...o.records, lines: o.records.lines.map(redact) } } : {}),
          ...(o.derived
            ? { derived: o.derived.map((f) => ({ ...f, content: redact(f.content) })) }
            : {}),
        }),
      writeCall: (o) =>
        ports.store.writeCall({ ...o, value: redactJournal(o.value, policy.secrets) }),
    },
    workspace: {
      baseCommit: () => ports.workspace.baseCommit(),
      branchExists: (branch) => ports.workspace.branchExists(branch),
      open: async (o) => guardTree(await ports.workspace.open(o), redact),
    },
    logger: guardLogger(ports.logger, policy.secrets),
    tracer: guardTracer(ports.tracer, policy.secrets),
    meter: guardMeter(ports.meter, policy.secrets),
    model: (client) => ({
      provider: client.provider,
      generate: async (request, options) =>
        redactAnswer(
          await client.generate(redactRequest(request, redact), options),
          policy.secrets,
        ),
    }),
    agent: (agent) => ({
      provider: agent.provider,
      run: async (run) => {
        const result = await agent.run({
          ...run,
          instructions: redact(run.instructions),
          prompt: redact(run.prompt),
        });
        return { ...result, summary: redact(result.summary) };
      },
    }),
  };
}

function guardTree(tree: WorkTree, redact: (text: string) => string): WorkTree {
  return new Proxy(tree, {
    get(target, prop, receiver) {
      if (prop === "commit")
        return (o: Parameters<WorkTree["commit"]>[0]) =>
          target.commit({ ...o, message: redact(o.message) });
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === "function" ? (value as () => unknown).bind(target) : value;
    },
  });
}

/**
 * What we send is redacted the same way on every turn, so a conversation's earlier messages go
 * out as the same bytes each time; the assistant's turns go back as they came (see redactAnswer).
 */
function redactRequest(request: ModelRequest, redact: (text: string) => string): ModelRequest {
  const messages: Message[] = request.messages.map((m) =>
    m.role === "user"
      ? {
          role: "user",
          content: m.content.map((p) =>
            p.type === "text"
              ? { ...p, text: redact(p.text) }
              : { ...p, content: redact(p.content) },
          ),
        }
      : m,
  );
  return { ...request, system: redact(request.system), messages };
}

/**
 * Prose and structured answers never carry a secret further. The assistant's turn (`content`)
 * is what goes back to the provider: only known secret values are taken out of it, since a
 * rewritten credential shape (one the model made up, or chance bytes in a signature) would make
 * the provider refuse the conversation or lose the model's reasoning.
 */
function redactAnswer(response: ModelResponse, secrets: readonly string[]): ModelResponse {
  return {
    ...response,
    text: redactSecrets(response.text, secrets),
    ...(response.object === undefined ? {} : { object: redactDeep(response.object, secrets) }),
    content: redactDeep(response.content, secrets, redactKnown),
  };
}

/**
 * A journaled call is redacted like everything on the state store, the assistant's turn too
 * (the state branch is the repository's to read): only the provider's opaque tokens (the keys
 * its adapter names in `verbatim.opaque`) lose just known secret values, since a credential shape
 * in them is chance and a changed byte breaks them. So a replay after a crash sends the same bytes
 * unless the model wrote a credential shape into its prose, thinking or tool input, which the
 * journal does not keep (and a provider may then refuse the rewritten turn).
 */
function redactJournal(value: unknown, secrets: readonly string[]): unknown {
  const redacted = redactDeep(value, secrets);
  const response = (value as { response?: { content?: unknown } } | null)?.response;
  if (!Array.isArray(response?.content)) return redacted;
  const content = (response.content as readonly AssistantPart[]).map((part) => {
    const { verbatim, ...rest } = part;
    if (!verbatim) return redactDeep(part, secrets);
    const opaque = new Set(verbatim.opaque ?? []);
    const data = redactDeep(verbatim.data, secrets, (text, known, key) =>
      key !== undefined && opaque.has(key) ? redactKnown(text, known) : redactSecrets(text, known),
    );
    return { ...redactDeep(rest, secrets), verbatim: { ...verbatim, data } };
  });
  const rest = redacted as { response: object };
  return { ...rest, response: { ...rest.response, content } };
}

/** A logger that redacts every message and metadata object (errors included) it is given. */
export function guardLogger(logger: Logger, secrets: readonly string[]): Logger {
  const clean = (meta: object): object =>
    redactDeep(
      Object.fromEntries(
        Object.entries(meta).map(([k, v]) => [
          k,
          v instanceof Error
            ? { type: v.name, message: v.message, stack: v.stack }
            : (v as unknown),
        ]),
      ),
      secrets,
    );
  return {
    debug: (meta, message) => logger.debug(clean(meta), redactSecrets(message, secrets)),
    info: (meta, message) => logger.info(clean(meta), redactSecrets(message, secrets)),
    warn: (meta, message) => logger.warn(clean(meta), redactSecrets(message, secrets)),
    error: (meta, message) => logger.error(clean(meta), redactSecrets(message, secrets)),
    child: (bindings) => guardLogger(logger.child(clean(bindings)), secrets),
  };
}
