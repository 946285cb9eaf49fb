import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  body?: unknown;
}

export interface FakeComment {
  id: number;
  body: string;
}

/**
 * The few GitHub REST endpoints the action calls, on loopback: the pull request's files (paginated with `Link`
 * headers, as GitHub does), its comments (list, create, update). Every request is recorded.
 */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly comments: FakeComment[] = [];
  /** The pull request's changed files. */
  files: { filename: string; status: string }[] = [];
  /** When set, comment writes answer with this status (a read-only token). */
  refuseWrites?: number;
  private nextId = 1000;
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: Error) => {
        res.writeHead(500).end(error.message);
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  writes(): RecordedRequest[] {
    return this.requests.filter((r) => r.method !== "GET");
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const body = text ? JSON.parse(text) : undefined;
    this.requests.push({ method: req.method ?? "GET", path: `${url.pathname}${url.search}`, body });
    const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));
    };
    const page = (items: unknown[]) => {
      const perPage = Number(url.searchParams.get("per_page") ?? 30);
      const n = Number(url.searchParams.get("page") ?? 1);
      const last = Math.max(1, Math.ceil(items.length / perPage));
      const headers: Record<string, string> = {};
      if (n < last) {
        const next = new URL(url);
        next.searchParams.set("page", String(n + 1));
        headers.link = `<http://${req.headers.host}${next.pathname}${next.search}>; rel="next"`;
      }
      send(200, items.slice((n - 1) * perPage, n * perPage), headers);
    };

    if (req.method === "GET" && /^\/repos\/[^/]+\/[^/]+\/pulls\/\d+\/files$/.test(url.pathname)) {
      return page(this.files);
    }
    if (/^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/.test(url.pathname)) {
      if (req.method === "GET") return page(this.comments);
      if (req.method === "POST") {
        if (this.refuseWrites)
          return send(this.refuseWrites, { message: "Resource not accessible by integration" });
        const comment = { id: this.nextId++, body: String(body?.body ?? "") };
        this.comments.push(comment);
        return send(201, comment);
      }
    }
    const update = url.pathname.match(/^\/repos\/[^/]+\/[^/]+\/issues\/comments\/(\d+)$/);
    if (update && req.method === "PATCH") {
      if (this.refuseWrites)
        return send(this.refuseWrites, { message: "Resource not accessible by integration" });
      const comment = this.comments.find((c) => c.id === Number(update[1]));
      if (!comment) return send(404, { message: "Not Found" });
      comment.body = String(body?.body ?? "");
      return send(200, comment);
    }
    send(404, { message: "Not Found" });
  }
}
