/**
 * Git-host reporters: commit statuses and one pull request comment kept up to date on GitHub,
 * GitLab and Bitbucket Cloud, through each host's REST API with a token from the environment.
 * `weft ci` posts its report through them; the controller sets commit statuses with them.
 */
export type {
  CheckRunConclusion,
  CheckRunInput,
  CheckRunResult,
  CommentInput,
  CommentResult,
  CommitState,
  CommitStatusInput,
  GitHostKind,
  GitHostReporter,
  GitHubReporter,
} from './types.js';
export {
  reporterFromEnvironment,
  resolveReporterConfig,
  createReporter,
  HOST_ENVIRONMENTS,
  type GitHostEnvironment,
  type ReporterConfig,
  type ReporterTarget,
} from './from-environment.js';
export { createGitHubReporter, GITHUB_API_URL, type GitHubReporterConfig } from './github.js';
export { createGitLabReporter, GITLAB_API_URL, type GitLabReporterConfig } from './gitlab.js';
export {
  createBitbucketReporter,
  BITBUCKET_API_URL,
  type BitbucketReporterConfig,
} from './bitbucket.js';
export { parseGitRemoteUrl, knownGitHost, type GitRemote } from './remote-url.js';
export { GitHostError, isGitHostError, GIT_HOST_FAILED, type GitHostName } from './errors.js';
export type { GitHostHttpOptions, GitHostLogger } from './host-client.js';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry.js';
