// Server processes for the serving benchmark: start one, wait for the line that says where it
// listens, read its resident memory, stop it with SIGTERM as an operator would.
/* global fetch */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { clearTimeout, setTimeout } from 'node:timers';
import { cleanEnv } from './workspace.mjs';

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;
const KEPT_OUTPUT = 16_384;

/**
 * Spawns `file args` and resolves once a stdout line matches `ready` (a RegExp whose first
 * group is the base URL). Rejects, with the output, if the process exits or is slow first.
 */
export function startServer(file, args, { cwd, ready, label }) {
  const child = spawn(file, args, { cwd, env: cleanEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  const keep = (stream) => (chunk) => {
    output[stream] = (output[stream] + chunk).slice(-KEPT_OUTPUT);
  };
  child.stdout.setEncoding('utf8').on('data', keep('stdout'));
  child.stderr.setEncoding('utf8').on('data', keep('stderr'));
  const describe = (why) =>
    new Error(
      `${label} ${why}\n--- stdout\n${output.stdout}\n--- stderr\n${output.stderr}`.trimEnd(),
    );
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(describe(`did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    const onData = () => {
      const match = ready.exec(output.stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve({ child, url: match[1], output, stop: () => stopServer(child, exited, describe) });
    };
    child.stdout.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(describe(`exited before it was ready (${code ?? signal})`));
    });
  });
}

/** SIGTERM, then waits for a clean exit; a server that fails to drain and exit is broken. */
async function stopServer(child, exited, describe) {
  if (child.exitCode !== null || child.signalCode !== null) {
    throw describe(`had exited on its own (${child.exitCode ?? child.signalCode})`);
  }
  child.kill('SIGTERM');
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(() => resolve(undefined), STOP_TIMEOUT_MS);
  });
  const result = await Promise.race([exited, late]);
  clearTimeout(timer);
  if (result === undefined) {
    child.kill('SIGKILL');
    throw describe(`did not exit within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM`);
  }
  if (result.code !== 0) throw describe(`exited with ${result.code ?? result.signal} on SIGTERM`);
}

/** `weft serve ...` on an ephemeral loopback port; resolves with the server's base URL. */
export function startWeftServe(cli, args, { cwd, nodeFlags = [] }) {
  return startServer(
    process.execPath,
    [...nodeFlags, cli, 'serve', ...args, '--port', '0', '--log-level', 'warn'],
    { cwd, ready: /^serving \S+ versions .* at (http:\/\/[^/\s]+)\/v2\//m, label: 'weft serve' },
  );
}

/** Resident set size of a live process in bytes (Linux /proc), or undefined elsewhere. */
export function readRssBytes(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

/** POSTs JSON; resolves with the status and the parsed body (or the text when not JSON). */
export async function postJson(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** Requests the server itself counted with a status other than 200, from its /metrics. */
export async function countServerFailures(baseUrl) {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  let failed = 0;
  let answered = 0;
  for (const match of text.matchAll(
    /^weft_inference_requests_total\{[^}]*status="(\d+)"[^}]*\} (\d+)/gm,
  )) {
    answered += Number(match[2]);
    if (match[1] !== '200') failed += Number(match[2]);
  }
  return { failed, answered };
}

/** Resolves with the first stdout line of a started server matching `pattern`, parsed as JSON. */
export function waitForJsonLine(server, pattern, timeoutMs) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      server.child.stdout.off('data', check);
      reject(new Error(`no line matching ${pattern} within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    const check = () => {
      const line = server.output.stdout.split('\n').find((text) => pattern.test(text));
      if (line === undefined) return;
      clearTimeout(timer);
      server.child.stdout.off('data', check);
      resolve(JSON.parse(line));
    };
    server.child.stdout.on('data', check);
    check();
  });
}
