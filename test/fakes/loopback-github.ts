import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { documentedResponse, operationFor, requestProblems } from "./openapi.ts";

/** One request as a route sees it. */
export interface LoopbackRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** A route's answer: ours, completed from GitHub's example for that operation and status. */
export interface LoopbackAnswer {
  readonly status: number;
  readonly body: unknown;
}

/**
 * GitHub's REST API on a loopback port, for an App in another process (nock reaches only its
 * own). Served under `/api/v3`, as GitHub Enterprise Server is, so `GHE_HOST=127.0.0.1:<port>`
 * and `GHE_PROTOCOL=http` point Probot and the App at it. Like the fake GitHub: a request
 * GitHub does not document, or an answer its schema refuses, is a problem the test reads.
 * Routes are keyed by GitHub's operation id (`apps/create-from-manifest`).
 */
export async function loopbackGitHub(
  routes: Readonly<Record<string, (request: LoopbackRequest) => LoopbackAnswer>>,
): Promise<{
  readonly host: string;
  readonly requests: string[];
  readonly problems: string[];
  close(): Promise<void>;
}> {
  const requests: string[] = [];
  const problems: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const path = url.pathname.replace(/^\/api\/v3/, "");
      const method = req.method ?? "GET";
      const text = Buffer.concat(chunks).toString("utf8");
      const body: unknown = text === "" ? undefined : JSON.parse(text);
      const found = operationFor(method, path);
      const checked = requestProblems(method, new URL(path + url.search, url), body);
      problems.push(...checked.problems);
      const route = found ? routes[found.operation.spec.operationId] : undefined;
      requests.push(`${method} ${path}`);
      if (!found || !route) {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ message: "Not Found" }));
        return;
      }
      const answer = route({ params: found.params, headers: req.headers, body });
      const documented = documentedResponse(found.operation, answer.status, answer.body);
      problems.push(...documented.problems);
      res.writeHead(answer.status, { "content-type": "application/json" });
      res.end(JSON.stringify(documented.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${String(port)}`,
    requests,
    problems,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
