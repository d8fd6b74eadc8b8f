/**
 * Builds a reporter from the environment a CI job (or the controller) runs in, plus what the
 * caller knows (the origin URL, a host, a repository). Resolving is pure
 * (`resolveReporterConfig`); nothing here reads `process.env`: the caller passes it.
 *
 * Each setting, first found wins:
 *   host        target.host > the origin's host (github.com, gitlab.com, bitbucket.org)
 *               > the CI system (GITHUB_ACTIONS, GITLAB_CI, BITBUCKET_BUILD_NUMBER)
 *   repository  target.repository > the CI variables > the origin's path
 *   API URL     target.apiUrl > GITHUB_API_URL / CI_API_V4_URL > derived from a self-hosted
 *               origin (https://<host>/api/v3, https://<host>/api/v4) > the cloud default
 *   token       WEFT_<HOST>_TOKEN > the host's usual variable (see HOST_ENVIRONMENTS)
 */
import { gitHostUsageError } from './errors.js';
import { BITBUCKET_API_URL, createBitbucketReporter } from './bitbucket.js';
import { createGitHubReporter, GITHUB_API_URL } from './github.js';
import { createGitLabReporter, GITLAB_API_URL } from './gitlab.js';
import type { GitHostHttpOptions } from './host-client.js';
import { knownGitHost, parseGitRemoteUrl, type GitRemote } from './remote-url.js';
import type { GitHostKind, GitHostReporter } from './types.js';

export type GitHostEnvironment = Readonly<Record<string, string | undefined>>;

/** What the caller knows about where to report; every field is optional. */
export interface ReporterTarget {
  host?: GitHostKind;
  /** `owner/repo`, `group/subgroup/project` or a GitLab project ID, `workspace/repo_slug`. */
  repository?: string;
  /** The repository's Git remote URL, e.g. `git remote get-url origin`. */
  originUrl?: string;
  apiUrl?: string;
}

/** Everything a reporter needs. Holds the token: never log it whole. */
export interface ReporterConfig {
  host: GitHostKind;
  repository: string;
  apiUrl: string;
  token: string;
  /** The variable the token came from, named in error hints. */
  tokenSource: string;
}

interface HostEnvironment {
  name: string;
  tokens: readonly string[];
  /** Variables naming the repository, in order; an array joins several with `/`. */
  repository: readonly (string | readonly string[])[];
  apiUrl?: string;
  isCi: (env: GitHostEnvironment) => boolean;
  cloudApiUrl: string;
  selfHostedApiUrl?: (hostname: string) => string;
  tokenAdvice: string;
}

export const HOST_ENVIRONMENTS: Readonly<Record<GitHostKind, HostEnvironment>> = {
  github: {
    name: 'GitHub',
    tokens: ['WEFT_GITHUB_TOKEN', 'GITHUB_TOKEN', 'GH_TOKEN'],
    repository: ['GITHUB_REPOSITORY'],
    apiUrl: 'GITHUB_API_URL',
    isCi: (env) => env.GITHUB_ACTIONS === 'true',
    cloudApiUrl: GITHUB_API_URL,
    selfHostedApiUrl: (hostname) => `https://${hostname}/api/v3`,
    tokenAdvice:
      'a token allowed to write commit statuses and pull request comments (in Actions: permissions statuses: write, pull-requests: write)',
  },
  gitlab: {
    name: 'GitLab',
    tokens: ['WEFT_GITLAB_TOKEN', 'GITLAB_TOKEN'],
    repository: ['CI_PROJECT_ID', 'CI_PROJECT_PATH'],
    apiUrl: 'CI_API_V4_URL',
    isCi: (env) => env.GITLAB_CI === 'true',
    cloudApiUrl: GITLAB_API_URL,
    selfHostedApiUrl: (hostname) => `https://${hostname}/api/v4`,
    tokenAdvice: 'a project access token with the api scope and at least the Developer role',
  },
  bitbucket: {
    name: 'Bitbucket',
    tokens: ['WEFT_BITBUCKET_TOKEN', 'BITBUCKET_TOKEN'],
    repository: ['BITBUCKET_REPO_FULL_NAME', ['BITBUCKET_WORKSPACE', 'BITBUCKET_REPO_SLUG']],
    isCi: (env) => Boolean(env.BITBUCKET_BUILD_NUMBER),
    cloudApiUrl: BITBUCKET_API_URL,
    tokenAdvice: 'a repository access token with the pullrequest:write and repository:write scopes',
  },
};

export function reporterFromEnvironment(
  env: GitHostEnvironment,
  target: ReporterTarget = {},
  http: GitHostHttpOptions = {},
): GitHostReporter {
  return createReporter(resolveReporterConfig(env, target), http);
}

export function createReporter(
  config: ReporterConfig,
  http: GitHostHttpOptions = {},
): GitHostReporter {
  const { token, tokenSource, apiUrl, repository } = config;
  switch (config.host) {
    case 'github':
      return createGitHubReporter({ token, tokenSource, apiUrl, repository }, http);
    case 'gitlab':
      return createGitLabReporter({ token, tokenSource, apiUrl, project: repository }, http);
    case 'bitbucket':
      return createBitbucketReporter({ token, tokenSource, apiUrl, repository }, http);
  }
}

/** Throws WeftError USAGE naming what to set when something cannot be found. */
export function resolveReporterConfig(
  env: GitHostEnvironment,
  target: ReporterTarget = {},
): ReporterConfig {
  const origin = target.originUrl === undefined ? undefined : parseGitRemoteUrl(target.originUrl);
  const host = chooseHost(env, target, origin);
  const hostEnv = HOST_ENVIRONMENTS[host];
  // The origin speaks for this host only if it is this host's cloud or a host we do not know.
  const sameHost = origin && (knownGitHost(origin.hostname) ?? host) === host ? origin : undefined;
  return {
    host,
    repository: chooseRepository(env, target, hostEnv, sameHost),
    apiUrl: chooseApiUrl(env, target, hostEnv, sameHost),
    ...chooseToken(env, hostEnv),
  };
}

function chooseHost(
  env: GitHostEnvironment,
  target: ReporterTarget,
  origin?: GitRemote,
): GitHostKind {
  if (target.host) return target.host;
  const fromOrigin = origin && knownGitHost(origin.hostname);
  if (fromOrigin) return fromOrigin;
  const kinds = Object.keys(HOST_ENVIRONMENTS) as GitHostKind[];
  const fromCi = kinds.find((kind) => HOST_ENVIRONMENTS[kind].isCi(env));
  if (fromCi) return fromCi;
  const seen = origin
    ? `the origin's host ${origin.hostname} is not`
    : 'no origin URL was given, nor';
  throw gitHostUsageError(
    `failed to choose a Git host to report to: ${seen} github.com, gitlab.com or bitbucket.org, and no CI environment says which; name the host (github, gitlab or bitbucket)`,
  );
}

function chooseRepository(
  env: GitHostEnvironment,
  target: ReporterTarget,
  hostEnv: HostEnvironment,
  origin: GitRemote | undefined,
): string {
  if (target.repository) return target.repository;
  for (const source of hostEnv.repository) {
    const names = typeof source === 'string' ? [source] : source;
    const values = names.map((name) => env[name]);
    if (values.every((value) => value)) return values.join('/');
  }
  if (origin) return origin.path;
  const variables = hostEnv.repository.map((s) => (typeof s === 'string' ? s : s.join(' and ')));
  throw gitHostUsageError(
    `failed to report to ${hostEnv.name}: no repository; set ${variables.join(' or ')}, or give the origin URL or the repository`,
  );
}

function chooseApiUrl(
  env: GitHostEnvironment,
  target: ReporterTarget,
  hostEnv: HostEnvironment,
  origin: GitRemote | undefined,
): string {
  const fromEnv = hostEnv.apiUrl ? env[hostEnv.apiUrl] : undefined;
  const selfHosted =
    origin && !knownGitHost(origin.hostname)
      ? hostEnv.selfHostedApiUrl?.(origin.hostname)
      : undefined;
  const chosen = target.apiUrl || fromEnv || selfHosted || hostEnv.cloudApiUrl;
  if (!/^https?:\/\/[^/\s]+/i.test(chosen)) {
    const from = target.apiUrl ? 'the API URL' : (hostEnv.apiUrl ?? 'the API URL');
    throw gitHostUsageError(
      `failed to report to ${hostEnv.name}: ${from} ${JSON.stringify(chosen)} is not an http(s) URL`,
    );
  }
  return chosen;
}

function chooseToken(
  env: GitHostEnvironment,
  hostEnv: HostEnvironment,
): Pick<ReporterConfig, 'token' | 'tokenSource'> {
  for (const name of hostEnv.tokens) {
    const token = env[name]?.trim();
    if (token) return { token, tokenSource: name };
  }
  const [preferred, ...others] = hostEnv.tokens;
  const jobTokenNote = hostEnv.name === 'GitLab' && env.CI_JOB_TOKEN ? JOB_TOKEN_NOTE : '';
  throw gitHostUsageError(
    `failed to report to ${hostEnv.name}: no token; set ${others[0]} (or ${preferred}) to ${hostEnv.tokenAdvice}${jobTokenNote}`,
  );
}

const JOB_TOKEN_NOTE =
  ' (CI_JOB_TOKEN is set, but GitLab does not accept job tokens for commit statuses or merge request notes)';
