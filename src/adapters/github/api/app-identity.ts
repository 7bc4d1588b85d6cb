import { z } from "zod";
import type { GitHub } from "./client.ts";

/** A commit's author and committer. */
export interface CommitAuthor {
  readonly name: string;
  readonly email: string;
}

const App = z.object({ slug: z.string().min(1) });
const User = z.object({ id: z.number().int().positive(), login: z.string() });

/** The App's slug (`GET /app`, which GitHub answers only to the App's own JWT). */
export async function appSlug(appClient: GitHub): Promise<string> {
  return App.parse((await appClient.request("GET /app")).data).slug;
}

/**
 * The identity GitHub shows for the App's commits: its bot user `<slug>[bot]` and that user's
 * noreply address `<id>+<slug>[bot]@users.noreply.github.com` ("Setting your commit email
 * address", docs.github.com), the id read from `GET /users/<slug>[bot]` (public: an
 * installation's token reads it).
 */
export async function botAuthor(github: GitHub, slug: string): Promise<CommitAuthor> {
  const login = `${slug}[bot]`;
  const user = User.parse(
    (await github.request("GET /users/{username}", { username: login })).data,
  );
  return { name: user.login, email: `${String(user.id)}+${user.login}@users.noreply.github.com` };
}
