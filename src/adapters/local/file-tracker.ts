import { join } from "node:path";
import { slugify } from "../../core/text/slug.ts";
import type { IssueTracker } from "../../ports/issue-tracker.ts";
import { writeFileAtomic } from "./atomic-file.ts";

/**
 * Local stand-in for issue comments: one Markdown file per comment key under
 * `<dir>/comments/<task>/`, and `STATUS.md` for the status. Writing the same key again replaces
 * the file, so a repeated effect never duplicates a comment.
 */
export class FileTracker implements IssueTracker {
  readonly #dir: string;
  readonly #onStatus: (task: string, body: string) => void;

  constructor(options: {
    readonly directory: string;
    readonly onStatus?: (task: string, body: string) => void;
  }) {
    this.#dir = options.directory;
    this.#onStatus = options.onStatus ?? (() => undefined);
  }

  async ensureComment(options: {
    task: string;
    key: string;
    topic: string;
    body: string;
  }): Promise<{ ref: string }> {
    const file = join(
      this.#dir,
      "comments",
      options.task,
      `${slugify(options.key.replace(/:/g, "-"), 120)}.md`,
    );
    await writeFileAtomic(file, `<!-- orchestrator:${options.key} -->\n${options.body}\n`, {
      durable: false,
    });
    return { ref: file };
  }

  async updateStatus(options: { task: string; body: string }): Promise<void> {
    await writeFileAtomic(
      join(this.#dir, "comments", options.task, "STATUS.md"),
      `${options.body}\n`,
      { durable: false },
    );
    this.#onStatus(options.task, options.body);
  }
}
