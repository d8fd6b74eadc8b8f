/**
 * Test helper: a real HTTP server on 127.0.0.1 standing in for a Git host. Every request is
 * recorded and checked by the host's `validate` (method, path, query, headers, body against the
 * host's API description); a request that breaks the API is answered 400 and its problems kept
 * in `problems`, which each test asserts empty. Faults queued in `faults` answer instead of the
 * host: a status (404, 422, 429, 5xx) or a dropped connection, before or after the host acted.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  /** The path as sent, percent-encoding kept (`/projects/group%2Fproject/...`). */
  rawPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  bodyText: string;
  /** Parsed JSON, or undefined when the body is empty or not JSON. */
  body: unknown;
}

export interface FakeAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Fault {
  method?: string;
  path?: RegExp;
  /** `reset`: the connection is dropped without an answer. */
  answer: FakeAnswer | 'reset';
  /** The host acts on the request first (creates the comment), then the answer is lost. */
  afterApply?: boolean;
}

export interface FakeHostBehaviour {
  /** Problems with the request as the host's API describes it; empty when it conforms. */
  validate(request: RecordedRequest): string[];
  /** What the host does and answers. */
  handle(request: RecordedRequest, baseUrl: string): FakeAnswer;
}

export interface FakeHost {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  requests: RecordedRequest[];
  problems: string[];
  faults: Fault[];
  close(): Promise<void>;
}

export async function startFakeHost(behaviour: FakeHostBehaviour): Promise<FakeHost> {
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  const faults: Fault[] = [];
  let url = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request = record(req.method ?? '', req.url ?? '/', req.headers, chunks);
      requests.push(request);
      const found = behaviour.validate(request);
      if (found.length > 0) {
        problems.push(...found.map((p) => `${request.method} ${request.rawPath}: ${p}`));
        send(res, { status: 400, body: { error: found.join('; ') } });
        return;
      }
      const fault = takeFault(faults, request);
      if (!fault) return send(res, behaviour.handle(request, url));
      if (fault.afterApply) behaviour.handle(request, url);
      if (fault.answer === 'reset') res.socket?.destroy();
      else send(res, fault.answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    problems,
    faults,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function record(
  method: string,
  target: string,
  headers: IncomingHttpHeaders,
  chunks: Buffer[],
): RecordedRequest {
  const [rawPath = '/', search = ''] = target.split('?', 2);
  const bodyText = Buffer.concat(chunks).toString('utf8');
  let body: unknown;
  try {
    body = bodyText === '' ? undefined : (JSON.parse(bodyText) as unknown);
  } catch {
    body = undefined;
  }
  return { method, rawPath, query: new URLSearchParams(search), headers, bodyText, body };
}

function takeFault(faults: Fault[], request: RecordedRequest): Fault | undefined {
  const index = faults.findIndex(
    (f) =>
      (f.method === undefined || f.method === request.method) &&
      (f.path === undefined || f.path.test(request.rawPath)),
  );
  return index === -1 ? undefined : faults.splice(index, 1)[0];
}

function send(res: ServerResponse, answer: FakeAnswer): void {
  const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    ...(text ? { 'Content-Type': 'application/json; charset=utf-8' } : {}),
    ...answer.headers,
  });
  res.end(text);
}

/** Options for reporters under test: no real waiting, the waits kept to be checked. */
export function instantClock(startMs = Date.UTC(2025, 0, 1)): {
  waits: number[];
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
} {
  const waits: number[] = [];
  let now = startMs;
  return {
    waits,
    sleep: (ms) => {
      waits.push(ms);
      now += ms;
      return Promise.resolve();
    },
    now: () => now,
    random: () => 0.5,
  };
}

/** A `Link` header as GitHub writes it, for the pages around `page`. */
export function linkHeader(pageUrl: (page: number) => string, page: number, last: number): string {
  const links: string[] = [];
  if (page < last)
    links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`);
  if (page > 1) links.push(`<${pageUrl(page - 1)}>; rel="prev"`, `<${pageUrl(1)}>; rel="first"`);
  return links.join(', ');
}
