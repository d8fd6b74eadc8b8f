/**
 * HTTP/1.1 to a process on 127.0.0.1, over keep-alive sockets: an inference server answers
 * thousands of small requests a second, and a fresh TCP connection for each would cost more
 * than the request itself.
 */
import { Agent, request } from 'node:http';

export interface LoopbackAnswer {
  status: number;
  body: string;
}

export interface LoopbackClient {
  /**
   * Sends one request and reads the whole answer.
   * @throws LoopbackTimeoutError when no complete answer arrives within `timeoutMs`; the
   *   socket's own error when the connection fails or closes early (the process died).
   */
  send(
    port: number,
    method: 'GET' | 'POST',
    path: string,
    body: string | undefined,
    timeoutMs: number,
  ): Promise<LoopbackAnswer>;
  /** Closes the pooled sockets. */
  close(): void;
}

export class LoopbackTimeoutError extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'LoopbackTimeoutError';
  }
}

export function createLoopbackClient(): LoopbackClient {
  const agent = new Agent({ keepAlive: true });
  return {
    send: (port, method, path, body, timeoutMs) =>
      new Promise((resolve, reject) => {
        const headers =
          body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
        const outgoing = request({ host: '127.0.0.1', port, method, path, agent, headers });
        const fail = (error: Error): void => {
          clearTimeout(timer);
          reject(error);
        };
        const timer = setTimeout(() => {
          const error = new LoopbackTimeoutError(timeoutMs);
          fail(error);
          outgoing.destroy(error);
        }, timeoutMs);
        outgoing.on('error', fail);
        outgoing.on('response', (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', fail);
          incoming.on('close', () => {
            if (!incoming.complete) fail(new Error('the connection closed mid-answer'));
          });
          incoming.on('end', () => {
            clearTimeout(timer);
            resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString() });
          });
        });
        outgoing.end(body);
      }),
    close: () => agent.destroy(),
  };
}
