/**
 * What the CI system tells a job about the change it builds, read from the environment
 * variables GitHub Actions, GitLab CI, Bitbucket Pipelines and Jenkins (multibranch) set. Pure:
 * the CLI passes process.env.
 */
export interface CiEnvironment {
  /** The pull/merge request this job is for; null on a branch build. */
  pullRequest: { number: number; source: string } | null;
  /** The branch the change is to be merged into. */
  targetBranch: { name: string; source: string } | null;
}

const PULL_REQUEST_VARIABLES = ['CI_MERGE_REQUEST_IID', 'BITBUCKET_PR_ID', 'CHANGE_ID'] as const;
const TARGET_BRANCH_VARIABLES = [
  'GITHUB_BASE_REF',
  'CI_MERGE_REQUEST_TARGET_BRANCH_NAME',
  'BITBUCKET_PR_DESTINATION_BRANCH',
  'CHANGE_TARGET',
] as const;

export function readCiEnvironment(
  env: Readonly<Record<string, string | undefined>>,
): CiEnvironment {
  return { pullRequest: findPullRequest(env), targetBranch: findTargetBranch(env) };
}

function findPullRequest(
  env: Readonly<Record<string, string | undefined>>,
): CiEnvironment['pullRequest'] {
  // GitHub sets GITHUB_REF to refs/pull/<n>/merge for pull_request events, whatever is checked out.
  const github = /^refs\/pull\/(\d+)\/(?:merge|head)$/.exec(env.GITHUB_REF ?? '');
  if (github?.[1]) return { number: Number(github[1]), source: 'GITHUB_REF' };
  for (const name of PULL_REQUEST_VARIABLES) {
    const value = env[name];
    if (value && /^[1-9]\d*$/.test(value)) return { number: Number(value), source: name };
  }
  return null;
}

function findTargetBranch(
  env: Readonly<Record<string, string | undefined>>,
): CiEnvironment['targetBranch'] {
  for (const name of TARGET_BRANCH_VARIABLES) {
    const value = env[name];
    if (value) return { name: value, source: name };
  }
  return null;
}
