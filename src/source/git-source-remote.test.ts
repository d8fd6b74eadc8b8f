import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitSource } from './git-source.js';
import { SourceFetchError } from './source-errors.js';

let weftDir: string;
const servers: Server[] = [];

beforeEach(async () => {
  weftDir = await mkdtemp(join(tmpdir(), 'weft-source-remote-'));
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => close(server)));
  await rm(weftDir, { recursive: true, force: true });
});

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A port on loopback that refuses connections: bound once, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  servers.pop();
  await close(server);
  return port;
}

async function fetchError(url: string, timeoutMs?: number): Promise<SourceFetchError> {
  const src = new GitSource(
    { url, ref: { branch: 'main' }, intervalMs: 1000 },
    { weftDir, timeoutMs },
  );
  const error = await src.fetch().catch((e: unknown) => e);
  expect(error).toBeInstanceOf(SourceFetchError);
  return error as SourceFetchError;
}

describe('GitSource against remotes that fail', () => {
  it('never shows the credentials in the URL, in the error or on disk', async () => {
    const port = await closedPort();
    const error = await fetchError(`http://alice:s3cret@127.0.0.1:${port}/repo.git`);
    expect(error.reason).toBe('FetchFailed');
    expect(error.url).toBe(`http://***@127.0.0.1:${port}/repo.git`);
    expect(error.message).toContain(`failed to fetch http://***@127.0.0.1:${port}/repo.git: `);
    expect(JSON.stringify({ ...error, message: error.message, cause: error.cause })).not.toContain(
      's3cret',
    );
    expect(error.cause).toBeUndefined();
    const src = new GitSource(
      {
        url: `http://alice:s3cret@127.0.0.1:${port}/repo.git`,
        ref: { branch: 'main' },
        intervalMs: 1,
      },
      { weftDir },
    );
    expect(await readFile(join(src.repoDir, 'config'), 'utf8')).not.toContain('s3cret');
  });

  it('fails at once instead of prompting for a password', async () => {
    const server = createHttpServer((_req, res) => {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
    });
    const port = await listen(server);
    const error = await fetchError(`http://127.0.0.1:${port}/repo.git`);
    expect(error.message).toMatch(/terminal prompts disabled|Authentication failed/);
  });

  it('gives up on a server that never answers once the timeout passes', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => void sockets.push(socket));
    server.on('close', () => sockets.forEach((socket) => socket.destroy()));
    const port = await listen(server);
    const started = Date.now();
    const error = await fetchError(`http://127.0.0.1:${port}/repo.git`, 300);
    expect(error.message).toContain('git gave no answer within 300 ms');
    expect(Date.now() - started).toBeLessThan(5000);
    sockets.forEach((socket) => socket.destroy());
  });
});
