import type { IncomingMessage, ServerResponse } from "node:http";

/** GitHub caps webhook payloads at 25 MB; anything larger is not a delivery from GitHub. */
export const MAX_WEBHOOK_BYTES = 25 * 1024 * 1024;

/**
 * A request handler that refuses webhook bodies above `maxBytes` before they are read in full
 * and before anything checks their signature: a declared length above the limit is refused at
 * once, unread; a body that grows past it while streaming is cut off there. A body within the
 * limit is read into `request.body`, which the webhook middleware then uses as it is.
 * Returns true when it answered the request.
 */
export function limitWebhookBody(
  path: string,
  maxBytes = MAX_WEBHOOK_BYTES,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    if (req.method !== "POST" || (req.url ?? "").split("?")[0] !== path) return false;
    const declared = Number(req.headers["content-length"] ?? NaN);
    if (declared > maxBytes) return refuse(req, res, maxBytes);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) return refuse(req, res, maxBytes);
      chunks.push(chunk);
    }
    (req as IncomingMessage & { body?: string }).body = Buffer.concat(chunks).toString("utf8");
    return false;
  };
}

function refuse(req: IncomingMessage, res: ServerResponse, maxBytes: number): boolean {
  res.writeHead(413, { "content-type": "application/json", connection: "close" });
  res.end(JSON.stringify({ error: `payload larger than ${maxBytes} bytes` }));
  // Whatever the client still sends is not read.
  res.once("finish", () => req.destroy());
  return true;
}
