import type {
  Attributes,
  AttributeValue,
  Context,
  Exception,
  Link,
  Meter,
  Span,
  SpanOptions,
  SpanStatus,
  TimeInput,
  Tracer,
} from "@opentelemetry/api";
import { redactSecrets } from "../core/text/redact.ts";

type Redact = (text: string) => string;

function cleanValue(value: AttributeValue | undefined, redact: Redact): AttributeValue | undefined {
  if (typeof value === "string") return redact(value);
  if (Array.isArray(value))
    return value.map((v: unknown) => (typeof v === "string" ? redact(v) : v)) as AttributeValue;
  return value;
}

function cleanAttributes(
  attributes: Attributes | undefined,
  redact: Redact,
): Attributes | undefined {
  if (!attributes) return attributes;
  return Object.fromEntries(
    Object.entries(attributes).map(([k, v]) => [redact(k), cleanValue(v, redact)]),
  );
}

/** An exception as the span records it (type, message, stack), its text redacted. */
function cleanException(exception: Exception, redact: Redact): Exception {
  if (typeof exception === "string") return redact(exception);
  const e = exception as {
    name?: string;
    message?: string;
    stack?: string;
    code?: string | number;
  };
  return {
    ...(e.name === undefined ? {} : { name: redact(e.name) }),
    ...(e.message === undefined ? {} : { message: redact(e.message) }),
    ...(e.stack === undefined ? {} : { stack: redact(e.stack) }),
    ...(e.code === undefined ? {} : { code: typeof e.code === "string" ? redact(e.code) : e.code }),
  } as Exception;
}

function guardSpan(span: Span, redact: Redact): Span {
  const guarded: Span = new Proxy(span, {
    get(target, prop, receiver) {
      switch (prop) {
        case "setAttribute":
          return (key: string, value: AttributeValue) => {
            const clean = cleanValue(value, redact);
            if (clean !== undefined) target.setAttribute(redact(key), clean);
            return guarded;
          };
        case "setAttributes":
          return (attributes: Attributes) => {
            target.setAttributes(cleanAttributes(attributes, redact) ?? {});
            return guarded;
          };
        case "addEvent":
          return (name: string, more?: Attributes | TimeInput, time?: TimeInput) => {
            const attributes =
              more !== undefined &&
              typeof more === "object" &&
              !Array.isArray(more) &&
              !(more instanceof Date)
                ? cleanAttributes(more, redact)
                : more;
            target.addEvent(redact(name), attributes, time);
            return guarded;
          };
        case "addLink":
          return (link: Link) => {
            target.addLink(cleanLink(link, redact));
            return guarded;
          };
        case "addLinks":
          return (links: Link[]) => {
            target.addLinks(links.map((l) => cleanLink(l, redact)));
            return guarded;
          };
        case "recordException":
          return (exception: Exception, time?: TimeInput) => {
            target.recordException(cleanException(exception, redact), time);
          };
        case "setStatus":
          return (status: SpanStatus) => {
            target.setStatus({
              ...status,
              ...(status.message === undefined ? {} : { message: redact(status.message) }),
            });
            return guarded;
          };
        case "updateName":
          return (name: string) => {
            target.updateName(redact(name));
            return guarded;
          };
        default: {
          const value = Reflect.get(target, prop, receiver) as unknown;
          return typeof value === "function" ? (value as () => unknown).bind(target) : value;
        }
      }
    },
  });
  return guarded;
}

function cleanLink(link: Link, redact: Redact): Link {
  const attributes = cleanAttributes(link.attributes, redact);
  return { ...link, ...(attributes ? { attributes } : {}) };
}

function cleanOptions(options: SpanOptions | undefined, redact: Redact): SpanOptions {
  if (!options) return {};
  const attributes = cleanAttributes(options.attributes, redact);
  return {
    ...options,
    ...(attributes ? { attributes } : {}),
    ...(options.links ? { links: options.links.map((l) => cleanLink(l, redact)) } : {}),
  };
}

/**
 * A tracer whose spans redact everything they are given (names, attributes, events, links,
 * exceptions, status messages) before the SDK sees it, so no exported span carries a secret:
 * a provider's error body that echoes the API key is recorded as `[REDACTED]`.
 */
export function guardTracer(tracer: Tracer, secrets: readonly string[]): Tracer {
  const redact: Redact = (text) => redactSecrets(text, secrets);
  return {
    startSpan: (name: string, options?: SpanOptions, context?: Context) =>
      guardSpan(tracer.startSpan(redact(name), cleanOptions(options, redact), context), redact),
    startActiveSpan: (name: string, ...rest: unknown[]) => {
      const fn = rest.pop() as (span: Span) => unknown;
      const [options, context] = rest as [SpanOptions | undefined, Context | undefined];
      return tracer.startActiveSpan(
        redact(name),
        cleanOptions(options, redact),
        context as Context,
        (span: Span) => fn(guardSpan(span, redact)),
      );
    },
  };
}

/** A meter whose instruments redact their attributes' values (model names, roles come from config). */
export function guardMeter(meter: Meter, secrets: readonly string[]): Meter {
  const redact: Redact = (text) => redactSecrets(text, secrets);
  const wrap = <T extends object>(instrument: T): T =>
    new Proxy(instrument, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if ((prop === "add" || prop === "record") && typeof value === "function")
          return (n: number, attributes?: Attributes, context?: Context) =>
            (value as (n: number, a?: Attributes, c?: Context) => void).call(
              target,
              n,
              cleanAttributes(attributes, redact),
              context,
            );
        return typeof value === "function" ? (value as () => unknown).bind(target) : value;
      },
    });
  return new Proxy(meter, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== "function") return value;
      const bound = (value as (...a: unknown[]) => unknown).bind(target);
      return typeof prop === "string" && /^create(?!Observable|BatchObservable)/.test(prop)
        ? (...args: unknown[]) => wrap(bound(...args) as object)
        : bound;
    },
  });
}
