import { reporterFromEnvironment, type GitHostEnvironment } from '../git-hosts/index.js';
import { readRemoteUrl } from '../source/git.js';
import type { CiPoster } from './ci-post.js';

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
  };
}
