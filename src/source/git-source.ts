import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { digestHex, digestJson } from '../core/digest.js';
import { describeError, WeftError } from '../core/errors.js';
import { pathExists, publishDir, removeTempEntries } from './atomic-dir.js';
import { runGit, type RunGitOptions } from './git.js';
import { nextDelay } from './interval.js';
import {
  materializeSnapshot,
  readCommitInfo,
  removeSnapshots,
  type CommitInfo,
} from './snapshot.js';
import { SourceFetchError } from './source-errors.js';
import {
  formatRevision,
  resolveGitSource,
  type GitRef,
  type GitSourceSpec,
  type ResolvedGitSource,
} from './source-spec.js';

export interface GitSourceOptions {
  /** The project's state directory; caches live under `<weftDir>/sources/`. */
  weftDir: string;
  /** What a relative local path in the spec is relative to; default the current directory. */
  baseDir?: string;
  /** How long one git command may take; default 60 s. */
  timeoutMs?: number;
  /** The commit the caller last worked from, so a restarted source reports no change for it. */
  lastCommit?: string;
}

export interface FetchResult {
  /** `main@sha1:<commit>`, or `v1@sha1:<commit>` for a tag. */
  revision: string;
  commit: string;
  /** False when the commit is the one the previous fetch (or `lastCommit`) found. */
  changed: boolean;
}

/** The files of one commit, in a directory that is never written after it appears. */
export interface Snapshot extends CommitInfo {
  /** The source URL with credentials redacted. */
  url: string;
  ref: GitRef;
  revision: string;
  commit: string;
  dir: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
// An auth prompt would hang the controller until the timeout; git (and Git Credential Manager)
// fail at once instead.
const NON_INTERACTIVE = { GIT_TERMINAL_PROMPT: '0', GCM_INTERACTIVE: 'never' };
const FULL_SHA1 = /^[0-9a-f]{40}$/;

/**
 * A Git repository followed at one branch or tag, cached in a bare repository under
 * `<weftDir>/sources/<sha256 of url and ref>`. The URL is passed to each `git fetch` rather than
 * stored as a remote, so credentials in it never reach the disk. Calls on one instance run one
 * at a time; each source has its own cache so `gc` of one never removes another's snapshots.
 */
export class GitSource {
  readonly source: ResolvedGitSource;
  readonly cacheDir: string;
  private readonly git: RunGitOptions;
  private lastCommit: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(spec: GitSourceSpec, options: GitSourceOptions) {
    this.source = resolveGitSource(spec, options.baseDir ?? process.cwd());
    const key = digestJson({ url: this.source.displayUrl, ref: this.source.fullRef });
    this.cacheDir = join(options.weftDir, 'sources', digestHex(key));
    this.git = { env: NON_INTERACTIVE, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
    this.lastCommit = options.lastCommit;
  }

  get repoDir(): string {
    return join(this.cacheDir, 'repo.git');
  }

  get snapshotsDir(): string {
    return join(this.cacheDir, 'snapshots');
  }

  /**
   * Brings the cache up to the remote ref. A caller whose work on a changed revision failed
   * must retry from its own record (lastAttemptedRevision), not wait for another change.
   * @throws SourceFetchError (reason FetchFailed) when the remote cannot be read.
   */
  fetch(): Promise<FetchResult> {
    return this.serialize(() => this.fetchNow());
  }

  /** The snapshot of a fetched commit, made on first use. */
  checkout(commit: string): Promise<Snapshot> {
    return this.serialize(() => this.checkoutNow(commit));
  }

  /** Removes snapshots of commits not in `keep`; returns the commits removed. */
  gc(keep: readonly string[]): Promise<string[]> {
    return this.serialize(() => removeSnapshots(this.snapshotsDir, keep));
  }

  /** Milliseconds until the next poll: the interval with jitter. */
  nextDelay(random: () => number = Math.random): number {
    return nextDelay(this.source.intervalMs, this.source.jitter, random);
  }

  private async fetchNow(): Promise<FetchResult> {
    await this.ensureRepo();
    const { url, fullRef, refName } = this.source;
    const refspec = `+${fullRef}:${fullRef}`;
    try {
      const args = ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--', url, refspec];
      await runGit(this.repoDir, args, this.git);
    } catch (error) {
      throw new SourceFetchError(url, describeGitFailure(error, this.git.timeoutMs));
    }
    const args = ['rev-parse', '--verify', `${fullRef}^{commit}`];
    const commit = (await runGit(this.repoDir, args, this.git)).trim();
    const changed = commit !== this.lastCommit;
    this.lastCommit = commit;
    return { revision: formatRevision(refName, commit), commit, changed };
  }

  private async checkoutNow(commit: string): Promise<Snapshot> {
    const { displayUrl, ref, refName } = this.source;
    if (!FULL_SHA1.test(commit)) {
      throw new WeftError('USAGE', `failed to check out ${commit}: not a full commit sha`);
    }
    try {
      const info = await readCommitInfo(this.repoDir, commit, this.git);
      const dir = await materializeSnapshot(this.repoDir, this.snapshotsDir, commit, this.git);
      return {
        url: displayUrl,
        ref,
        revision: formatRevision(refName, commit),
        commit,
        dir,
        ...info,
      };
    } catch (error) {
      const detail = describeGitFailure(error, this.git.timeoutMs);
      const message = `failed to check out ${commit} of ${displayUrl}: ${detail}`;
      throw new WeftError('SOURCE_FAILED', message, { cause: error });
    }
  }

  private async ensureRepo(): Promise<void> {
    if (await pathExists(this.repoDir)) return;
    await mkdir(this.cacheDir, { recursive: true });
    await removeTempEntries(this.cacheDir);
    await publishDir(this.repoDir, async (tempDir) => {
      await runGit(tempDir, ['init', '--quiet', '--bare'], this.git);
    });
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}

/** git's stderr on one line, or what stopped git when it wrote nothing useful. */
function describeGitFailure(error: unknown, timeoutMs: number | undefined): string {
  const failure = (error instanceof Error ? error.cause : undefined) as
    { killed?: boolean; stderr?: string } | undefined;
  if (failure?.killed) return `git gave no answer within ${timeoutMs} ms`;
  const stderr = failure?.stderr
    ?.split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return stderr?.length ? stderr.join(' ') : describeError(error);
}
