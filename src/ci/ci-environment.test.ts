import { describe, expect, it } from 'vitest';
import { readCiEnvironment, type CiEnvironment } from './ci-environment.js';

const cases: Array<{ name: string; env: Record<string, string>; expected: CiEnvironment }> = [
  {
    name: 'GitHub Actions on a pull request',
    env: { GITHUB_REF: 'refs/pull/42/merge', GITHUB_BASE_REF: 'main' },
    expected: {
      pullRequest: { number: 42, source: 'GITHUB_REF' },
      targetBranch: { name: 'main', source: 'GITHUB_BASE_REF' },
    },
  },
  {
    name: 'GitHub Actions on a push',
    env: { GITHUB_REF: 'refs/heads/main', GITHUB_BASE_REF: '' },
    expected: { pullRequest: null, targetBranch: null },
  },
  {
    name: 'GitLab merge request pipeline',
    env: { CI_MERGE_REQUEST_IID: '7', CI_MERGE_REQUEST_TARGET_BRANCH_NAME: 'develop' },
    expected: {
      pullRequest: { number: 7, source: 'CI_MERGE_REQUEST_IID' },
      targetBranch: { name: 'develop', source: 'CI_MERGE_REQUEST_TARGET_BRANCH_NAME' },
    },
  },
  {
    name: 'Bitbucket Pipelines pull request',
    env: { BITBUCKET_PR_ID: '3', BITBUCKET_PR_DESTINATION_BRANCH: 'main' },
    expected: {
      pullRequest: { number: 3, source: 'BITBUCKET_PR_ID' },
      targetBranch: { name: 'main', source: 'BITBUCKET_PR_DESTINATION_BRANCH' },
    },
  },
  {
    name: 'Jenkins multibranch change request',
    env: { CHANGE_ID: '12', CHANGE_TARGET: 'main' },
    expected: {
      pullRequest: { number: 12, source: 'CHANGE_ID' },
      targetBranch: { name: 'main', source: 'CHANGE_TARGET' },
    },
  },
  {
    name: 'a value that is no pull request number is ignored',
    env: { CHANGE_ID: 'feature-x', GITHUB_REF: 'refs/pull/abc/merge' },
    expected: { pullRequest: null, targetBranch: null },
  },
];

describe('readCiEnvironment', () => {
  it.each(cases)('$name', ({ env, expected }) => {
    expect(readCiEnvironment(env)).toEqual(expected);
  });
});
