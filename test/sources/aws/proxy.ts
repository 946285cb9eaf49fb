import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from "node:http";

/**
 * A loopback HTTP proxy in front of moto_server: it counts every request that reaches "the endpoint" (retries
 * included) by service, region and operation, and can answer some requests itself (an AWS-shaped response where
 * moto differs from AWS, a throttling error, a slow answer).
 */
export interface SeenRequest {
  service: string;
  region: string;
  operation: string;
}

export interface Canned {
  status: number;
  body: string;
  contentType?: string;
  /** Wait this long before answering (a slow endpoint). */
  delayMs?: number;
}

/**
 * `body` is the request's body as text (a query-protocol call names its parameters there); `accessKey` is the key id
 * the request is signed with (one per assumed session, so it stands for the account the caller acts in).
 */
export type Interceptor = (request: SeenRequest, body: string, accessKey: string) => Canned | undefined;

export interface CountingProxy {
  endpoint: string;
  requests: SeenRequest[];
  intercept: Interceptor | undefined;
  /** Milliseconds every answer waits for, forwarded or not (a network's latency); none when absent. */
  latency: (() => number) | undefined;
  reset(): void;
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const state: CountingProxy = {
    endpoint: "",
    requests: [],
    intercept: undefined,
    latency: undefined,
    reset() {
      state.requests.length = 0;
      state.intercept = undefined;
      state.latency = undefined;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const text = body.toString("utf8");
      const seen = identify(req, text);
      state.requests.push(seen);
      const accessKey = /Credential=([^/]+)\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
      const canned = state.intercept?.(seen, text, accessKey);
      const latency = state.latency?.() ?? 0;
      if (canned) {
        setTimeout(
          () => {
            if (res.destroyed) return;
            res.writeHead(canned.status, {
              "content-type": canned.contentType ?? "application/x-amz-json-1.1",
              "x-amzn-requestid": "proxy",
            });
            res.end(canned.body);
          },
          latency + (canned.delayMs ?? 0),
        );
        return;
      }
      if (latency > 0) setTimeout(() => forwardTo(upstream, req, res, body), latency);
      else forwardTo(upstream, req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  state.endpoint = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return state;
}

function forwardTo(upstream: URL, req: IncomingMessage, res: ServerResponse, body: Buffer): void {
  if (res.destroyed) return;
  const forward = request(
    {
      host: upstream.hostname,
      port: upstream.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    },
    (answer) => {
      // Hop-by-hop headers stay on the upstream hop: moto closes its connections, the client's may be kept alive.
      const { connection: _connection, "keep-alive": _keepAlive, ...headers } = answer.headers;
      res.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(res);
    },
  );
  forward.on("error", () => {
    res.writeHead(502);
    res.end();
  });
  forward.end(body);
}

/** Service and region from the SigV4 credential scope; the operation from the target header, body or path. */
function identify(req: IncomingMessage, body: string): SeenRequest {
  const auth = String(req.headers.authorization ?? "");
  const scope = /Credential=[^/]+\/\d+\/([^/]+)\/([^/]+)\//.exec(auth);
  const region = scope?.[1] ?? "?";
  const service = scope?.[2] ?? "?";
  const target = req.headers["x-amz-target"];
  let operation = typeof target === "string" ? (target.split(".").pop() ?? "") : "";
  if (!operation) operation = /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1] ?? "";
  if (!operation) {
    const url = new URL(req.url ?? "/", "http://x");
    if (service === "s3") {
      const sub = [...url.searchParams.keys()].sort().join(",");
      operation = `${req.method} ${url.pathname === "/" ? "/" : "/<bucket>"}${sub ? `?${sub}` : ""}`;
    } else operation = url.pathname.replace(/^\//, "");
  }
  return { service, region, operation };
}

/** An AWS JSON-protocol error body, as CloudTrail sends it. */
export function jsonError(type: string, message: string, status = 400): Canned {
  return { status, body: JSON.stringify({ __type: type, message }) };
}
