import { posix } from 'node:path';

export type PathCheck = { ok: true; path: string } | { ok: false; reason: string };

/**
 * A path as written in a spec, made repo-relative POSIX without `./`, `//` or a trailing `/`,
 * so the same file gets the same cache key on every machine. Absolute paths and paths that
 * climb out of the repository are refused; `.` (the root itself) only where `allowRoot`.
 */
export function normalizeRepoPath(raw: string, options: { allowRoot?: boolean } = {}): PathCheck {
  const shown = JSON.stringify(raw);
  if (raw.trim() === '') return { ok: false, reason: 'expected a non-empty path' };
  // Backslashes come from Windows habits; a spec must mean the same path everywhere.
  const slashed = raw.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:\//.test(slashed)) {
    return {
      ok: false,
      reason: `${shown} is absolute; expected a path relative to the repository root`,
    };
  }
  let path = posix.normalize(slashed);
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  if (path === '..' || path.startsWith('../')) {
    return { ok: false, reason: `${shown} is outside the repository; expected a path inside it` };
  }
  if (path === '.' && options.allowRoot !== true) {
    return {
      ok: false,
      reason: `${shown} is the repository root; expected a file or directory inside it`,
    };
  }
  return { ok: true, path };
}
