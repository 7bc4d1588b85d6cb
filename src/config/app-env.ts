import { z } from "zod";
import { Dollars } from "./dollars.ts";
import { LogLevel, parseEnv } from "./parse-env.ts";

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/**
 * The environment the App starts from. Every variable it reads is here; a bad one stops the
 * start with one message naming it.
 */
export const AppEnv = z
  .object({
    /** The GitHub App's id (Probot's manifest flow writes it to `.env`). */
    APP_ID: wholeNumber(1, Number.MAX_SAFE_INTEGER).optional(),
    /**
     * The App's private key: PEM (`\n` escapes accepted, quotes dropped) or base64 of one.
     * Read, with `PRIVATE_KEY_PATH` and a `*.pem` in the working directory, by `appPrivateKey`.
     */
    PRIVATE_KEY: z.string().optional(),
    /** A file holding the private key, instead of `PRIVATE_KEY`. */
    PRIVATE_KEY_PATH: z.string().min(1).optional(),
    /** The secret GitHub signs webhooks with. Required in production. */
    WEBHOOK_SECRET: z.string().min(1).optional(),
    NODE_ENV: z.string().optional(),
    PORT: wholeNumber(0, 65_535).default(3000),
    HOST: z.string().min(1).optional(),
    LOG_LEVEL: LogLevel.default("info"),
    /** A GitHub Enterprise Server host name; also where clones come from. */
    GHE_HOST: z
      .string()
      .regex(/^[a-z0-9.-]+(:\d+)?$/i, "must be a host name such as github.example.com")
      .optional(),
    /** `http` for a GitHub Enterprise Server without TLS (Probot's variable): API and clones alike. */
    GHE_PROTOCOL: z.enum(["https", "http"], { message: "must be https or http" }).default("https"),
    /** Where webhooks are taken (Probot's variable). */
    WEBHOOK_PATH: z
      .string()
      .regex(/^\/[^?#\s]*$/, "must be a path such as /api/github/webhooks")
      .default("/api/github/webhooks"),
    /**
     * A smee.io channel (Probot's variable) that webhooks are read from, for development behind
     * a firewall: Probot's setup makes one. Needs `smee-client`, a development dependency.
     */
    WEBHOOK_PROXY_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Overrides the base URL clones come from (`<base>/<owner>/<repo>.git`). */
    ORCHESTRATOR_CLONE_BASE: z.url({ protocol: /^https$/ }).optional(),
    /** Where task clones live. */
    ORCHESTRATOR_WORK_DIR: z.string().min(1).optional(),
    /** What one repository's tasks may spend on models per UTC day (unset: no day budget). */
    ORCHESTRATOR_REPO_DAY_BUDGET_USD: Dollars.optional(),
    /** What one installation's (account's) tasks may spend on models per UTC day. */
    ORCHESTRATOR_INSTALLATION_DAY_BUDGET_USD: Dollars.optional(),
    /**
     * Seconds a stopping process (SIGTERM) waits for running tasks to reach their next effect
     * before giving their leases back; keep it under the platform's kill timeout.
     */
    ORCHESTRATOR_SHUTDOWN_SECONDS: wholeNumber(0, 3600).default(25),
    /** Webhook jobs running at once in this process. */
    ORCHESTRATOR_CONCURRENCY: wholeNumber(1, 256).default(8),
    /** Webhook jobs running at once for one installation. */
    ORCHESTRATOR_CONCURRENCY_PER_INSTALLATION: wholeNumber(1, 64).default(2),
    /**
     * `true`: replicas take turns sweeping each installation (one ref per turn in its first
     * repository); set it when running more than one replica. `false`: every replica sweeps
     * every repository.
     */
    ORCHESTRATOR_SWEEP_TURNS: z
      .enum(["true", "false"], { message: "must be true or false" })
      .default("false")
      .transform((value) => value === "true"),
    /** `env` (providers whose keys are set) or `replay` (answers from a cassette). */
    ORCHESTRATOR_PROVIDER: z.enum(["env", "replay"]).default("env"),
    ORCHESTRATOR_CASSETTE: z.string().min(1).optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.WEBHOOK_SECRET)
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_SECRET"],
        message: "is required in production: without it any request could pass for GitHub",
      });
    if (env.NODE_ENV === "production" && env.WEBHOOK_PROXY_URL)
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_PROXY_URL"],
        message:
          "is for development (smee-client is not in the image): point the App's webhook at this server",
      });
    if (env.ORCHESTRATOR_PROVIDER === "replay" && !env.ORCHESTRATOR_CASSETTE)
      ctx.addIssue({
        code: "custom",
        path: ["ORCHESTRATOR_CASSETTE"],
        message: "is required when ORCHESTRATOR_PROVIDER is replay",
      });
  });
export type AppEnv = z.infer<typeof AppEnv>;

/** The App's environment, or one error naming every bad variable. */
export function parseAppEnv(env: NodeJS.ProcessEnv): AppEnv {
  return parseEnv(AppEnv, env, "the environment");
}
