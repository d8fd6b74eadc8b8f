import { resolve } from 'node:path';
import { WeftError } from '../core/errors.js';
import { redactCredentials } from './source-errors.js';

/** What a Git source follows: the tip of a branch, or a tag (which may be moved by force). */
export type GitRef = { branch: string } | { tag: string };

/** A Git source as written. */
export interface GitSourceSpec {
  /** A local path, a file:// URL, or any URL the git CLI can fetch. */
  url: string;
  ref: GitRef;
  /** How often to poll. */
  intervalMs: number;
  /** Fraction of the interval each poll may come early or late by; default 0.1. */
  jitter?: number;
}

/** A Git source with defaults applied and a local path made absolute. */
export interface ResolvedGitSource {
  url: string;
  /** The URL with any credentials replaced by `***`, for messages, status and events. */
  displayUrl: string;
  ref: GitRef;
  /** `main` or `v1`: the name revisions start with. */
  refName: string;
  /** `refs/heads/main` or `refs/tags/v1`. */
  fullRef: string;
  intervalMs: number;
  jitter: number;
}

export const DEFAULT_JITTER = 0.1;

/**
 * Applies defaults and checks what git itself would misread: a URL starting with `-` would be
 * taken for an option, and a ref name outside git's rules would break the fetch refspec.
 * Local paths are resolved against `baseDir` because git runs inside the cache directory.
 */
export function resolveGitSource(spec: GitSourceSpec, baseDir: string): ResolvedGitSource {
  const refName = 'branch' in spec.ref ? spec.ref.branch : spec.ref.tag;
  const jitter = spec.jitter ?? DEFAULT_JITTER;
  const displayUrl = redactCredentials(spec.url);
  if (spec.url === '' || spec.url.startsWith('-') || /\p{Cc}/u.test(spec.url)) {
    throw invalid(`url ${JSON.stringify(displayUrl)} is not a Git URL or path`);
  }
  if (!isValidRefName(refName)) throw invalid(`ref ${JSON.stringify(refName)} is not a valid name`);
  if (!(spec.intervalMs > 0)) throw invalid(`intervalMs must be above 0, got ${spec.intervalMs}`);
  if (!(jitter >= 0 && jitter <= 1)) throw invalid(`jitter must be within [0, 1], got ${jitter}`);
  const url = isLocalPath(spec.url) ? resolve(baseDir, spec.url) : spec.url;
  return {
    url,
    displayUrl: redactCredentials(url),
    ref: spec.ref,
    refName,
    fullRef: 'branch' in spec.ref ? `refs/heads/${refName}` : `refs/tags/${refName}`,
    intervalMs: spec.intervalMs,
    jitter,
  };
}

/** Flux-style revision: `main@sha1:<40 hex>`. */
export function formatRevision(refName: string, commit: string): string {
  return `${refName}@sha1:${commit}`;
}

/** The commit a revision names (`main@sha1:<hex>` -> `<hex>`), or undefined for none. */
export function commitOfRevision(revision: string | null): string | undefined {
  return revision?.split('@sha1:')[1];
}

// git check-ref-format's rules for one name, plus no leading `-` (it would read as an option).
const FORBIDDEN_IN_REF = /[\p{Cc} ~^:?*[\\]|\.\.|@\{|\/\/|^[-/]|[/.]$|(^|\/)\.|\.lock(\/|$)|^@$/u;

export function isValidRefName(name: string): boolean {
  return name !== '' && !FORBIDDEN_IN_REF.test(name);
}

/** git's own rule: `scheme://` is a URL, `host:path` before any slash is scp-like, else a path. */
function isLocalPath(url: string): boolean {
  return !url.includes('://') && !/^[^/]*:/.test(url);
}

function invalid(detail: string): WeftError {
  return new WeftError('USAGE', `invalid git source: ${detail}`);
}
