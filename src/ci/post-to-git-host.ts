import {
  isGitHostError,
  reporterFromEnvironment,
  type GitHostEnvironment,
  type GitHostReporter,
  type GitHubReporter,
} from '../git-hosts/index.js';
import { readRemoteUrl } from '../source/git.js';
import type { CiPost, CiPoster } from './ci-post.js';

/** The commit status `weft ci` sets, beside the controller's `weft/deploy/NAME` ones. */
export const CI_STATUS_CONTEXT = 'weft/ci';

/**
 * `weft ci --post`: the comment goes to the pull request (created once, then updated in place,
 * found by its marker) and the verdict becomes a commit status. The host, repository and token
 * come from the CI environment and the repository's origin URL; a missing one is an error
 * before anything runs.
 */
export async function createGitHostPoster(
  env: GitHostEnvironment,
  root: string,
  warn: (message: string) => void = (message) => process.stderr.write(`${message}\n`),
): Promise<CiPoster> {
  const originUrl = await readRemoteUrl(root);
  const reporter = reporterFromEnvironment(env, originUrl ? { originUrl } : {});
  return async (post) => {
    if (post.body !== null && post.markerId !== null && post.pullRequest) {
      await reporter.upsertComment({
        pullRequest: post.pullRequest.number,
        marker: post.markerId,
        body: post.body,
      });
    }
    if (post.commit) {
      await reporter.setCommitStatus({
        sha: post.commit,
        state: post.statusState,
        context: CI_STATUS_CONTEXT,
        description: post.statusDescription,
      });
    }
    if (isGitHub(reporter) && post.commit && post.body !== null) {
      await createCheckSummary(reporter, post, warn);
    }
  };
}

function isGitHub(reporter: GitHostReporter): reporter is GitHubReporter {
  return reporter.host === 'github';
}

/**
 * On GitHub the whole report also goes to the commit's checks tab. That needs `checks: write`,
 * which a plain token may lack: the comment and the status are what matter, so a refusal is a
 * warning, not a failure.
 */
async function createCheckSummary(
  reporter: GitHubReporter,
  post: CiPost,
  warn: (message: string) => void,
): Promise<void> {
  try {
    await reporter.createCheckRun({
      sha: post.commit ?? '',
      name: CI_STATUS_CONTEXT,
      conclusion: post.statusState === 'success' ? 'success' : 'failure',
      title: post.statusDescription,
      summary: post.body ?? '',
    });
  } catch (error) {
    if (!isGitHostError(error) || (error.status !== 403 && error.status !== 404)) throw error;
    warn(
      `weft ci: no check run on GitHub (${error.status}): the token lacks "checks: write"; the comment and the commit status were posted`,
    );
  }
}
