/**
 * Which host and repository a Git remote URL points at, in every form `git remote -v` shows:
 * `https://[user[:token]@]host[:port]/path[.git]`, `ssh://[user@]host[:port]/path`,
 * `git://…`, `git+ssh://…` and scp-like `[user@]host:path`. Pure; credentials in the URL are
 * dropped, never kept or shown.
 */
import { gitHostUsageError } from './errors.js';
import type { GitHostKind } from './types.js';

export interface GitRemote {
  /** Lower case, without port or credentials. */
  hostname: string;
  /** The repository path without slashes around it or `.git`: `owner/repo`, `group/sub/project`. */
  path: string;
}

const KNOWN_HOSTS: Record<string, GitHostKind> = {
  'github.com': 'github',
  'www.github.com': 'github',
  'ssh.github.com': 'github',
  'gitlab.com': 'gitlab',
  'www.gitlab.com': 'gitlab',
  'altssh.gitlab.com': 'gitlab',
  'bitbucket.org': 'bitbucket',
  'www.bitbucket.org': 'bitbucket',
  'altssh.bitbucket.org': 'bitbucket',
};

/** github.com, gitlab.com or bitbucket.org (and their SSH aliases); undefined for any other. */
export function knownGitHost(hostname: string): GitHostKind | undefined {
  return KNOWN_HOSTS[hostname.toLowerCase()];
}

// `user@host:path`: no scheme, and no slash before the first colon (else it is a local path).
const SCP_LIKE = /^(?:[^@/]+@)?(\[[^\]]+\]|[^:/]+):(.*)$/;

export function parseGitRemoteUrl(url: string): GitRemote {
  const text = url.trim();
  const remote = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? parseSchemeUrl(text) : parseScpLike(text);
  if (!remote || remote.hostname === '' || remote.path === '') {
    throw gitHostUsageError(
      `failed to read the Git remote URL ${describeForError(text)}: expected https://host/owner/repo.git or git@host:owner/repo.git`,
    );
  }
  return remote;
}

function parseSchemeUrl(text: string): GitRemote | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol === 'file:') return undefined;
  return { hostname: url.hostname.toLowerCase(), path: cleanPath(url.pathname, true) };
}

function parseScpLike(text: string): GitRemote | undefined {
  const match = SCP_LIKE.exec(text);
  if (!match) return undefined;
  return { hostname: match[1]!.toLowerCase(), path: cleanPath(match[2]!, false) };
}

function cleanPath(path: string, percentEncoded: boolean): string {
  const segments = path
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => (percentEncoded ? safeDecode(segment) : segment));
  const joined = segments.join('/');
  return joined.endsWith('.git') ? joined.slice(0, -'.git'.length) : joined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** The URL as safe to print: for URLs with a scheme, no userinfo at all. */
function describeForError(text: string): string {
  try {
    const url = new URL(text);
    return JSON.stringify(`${url.protocol}//${url.host}${url.pathname}`);
  } catch {
    // Up to the last `@`: passwords may hold a raw `@` or `/`; too much hidden beats too little.
    return JSON.stringify(text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/i, '$1***@'));
  }
}
