import { join } from "node:path";
import type { CodeHost, ReviewLineComment } from "../../ports/code-host.ts";
import { writeFileAtomic } from "./atomic-file.ts";

/**
 * Local stand-in for the pull request and check runs: `PULL_REQUEST.md` (what the pull request
 * would say) and one file per reported commit under `<dir>/comments/<task>/`.
 */
export class FileCodeHost implements CodeHost {
  readonly #dir: string;

  constructor(options: { readonly directory: string }) {
    this.#dir = options.directory;
  }

  async ensurePullRequest(options: {
    task: string;
    branch: string;
    title: string;
    body: string;
    draft: boolean;
  }): Promise<{ ref: string }> {
    const file = join(this.#dir, "comments", options.task, "PULL_REQUEST.md");
    const state = options.draft ? "draft" : "ready for review";
    await writeFileAtomic(
      file,
      `# ${options.title}\n\nBranch \`${options.branch}\` (${state})\n\n${options.body}\n`,
      { durable: false },
    );
    return { ref: "PULL_REQUEST.md" };
  }

  /** Our code reviewer's verdicts, one file per review under `<dir>/comments/<task>/reviews/`. */
  async postReview(options: {
    task: string;
    key: string;
    commit: string;
    body: string;
    comments: readonly ReviewLineComment[];
  }): Promise<void> {
    const name = options.key.replace(/[^A-Za-z0-9._-]+/g, "_");
    const file = join(this.#dir, "comments", options.task, "reviews", `${name}.md`);
    const lines = options.comments.map((c) => `### ${c.path}:${String(c.line)}\n\n${c.body}\n`);
    await writeFileAtomic(
      file,
      [`Review of ${options.commit}\n\n${options.body}\n`, ...lines].join("\n"),
      { durable: false },
    );
  }

  async reportCheck(options: {
    task: string;
    key: string;
    commit: string;
    title: string;
    summary: string;
    conclusion: "success" | "neutral" | "failure";
  }): Promise<void> {
    const file = join(this.#dir, "comments", options.task, "checks", `${options.commit}.md`);
    await writeFileAtomic(
      file,
      `## ${options.title}\n\nConclusion: ${options.conclusion}\n\n${options.summary}\n`,
      { durable: false },
    );
  }
}
