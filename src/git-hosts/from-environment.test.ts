import { describe, expect, it } from 'vitest';
import { startFakeGitHub } from './fake-github.testing.js';
import { reporterFromEnvironment, resolveReporterConfig } from './from-environment.js';

const SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';

describe('resolveReporterConfig', () => {
  it('takes everything from a GitHub Actions job', () => {
    const env = {
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'octo/weft-demo',
      GITHUB_API_URL: 'https://api.github.com',
      GITHUB_TOKEN: 'ghs_job',
    };
    expect(resolveReporterConfig(env)).toEqual({
      host: 'github',
      repository: 'octo/weft-demo',
      apiUrl: 'https://api.github.com',
      token: 'ghs_job',
      tokenSource: 'GITHUB_TOKEN',
    });
  });

  it('prefers WEFT_GITHUB_TOKEN to GITHUB_TOKEN, and ignores empty variables', () => {
    const env = { WEFT_GITHUB_TOKEN: '', GH_TOKEN: 'gh', GITHUB_TOKEN: 'job' };
    const origin = { originUrl: 'git@github.com:octo/weft-demo.git' };
    expect(resolveReporterConfig(env, origin)).toMatchObject({
      token: 'job',
      tokenSource: 'GITHUB_TOKEN',
    });
    expect(resolveReporterConfig({ ...env, WEFT_GITHUB_TOKEN: 'weft' }, origin)).toMatchObject({
      token: 'weft',
      tokenSource: 'WEFT_GITHUB_TOKEN',
    });
  });

  it('reads host and repository from the origin URL, without its credentials', () => {
    const config = resolveReporterConfig(
      { GITLAB_TOKEN: 'glpat-1' },
      { originUrl: 'https://oauth2:glpat-in-url@gitlab.com/ml-team/models/penguins.git' },
    );
    expect(config).toEqual({
      host: 'gitlab',
      repository: 'ml-team/models/penguins',
      apiUrl: 'https://gitlab.com/api/v4',
      token: 'glpat-1',
      tokenSource: 'GITLAB_TOKEN',
    });
  });

  it('takes project and API URL from GitLab CI, for a self-managed instance too', () => {
    const env = {
      GITLAB_CI: 'true',
      CI_PROJECT_ID: '4242',
      CI_API_V4_URL: 'https://git.example.com/api/v4',
      GITLAB_TOKEN: 'glpat-1',
    };
    expect(
      resolveReporterConfig(env, { originUrl: 'https://git.example.com/ml/penguins.git' }),
    ).toMatchObject({
      host: 'gitlab',
      repository: '4242',
      apiUrl: 'https://git.example.com/api/v4',
    });
  });

  it('derives the API of a self-hosted origin once told the host', () => {
    const gitlab = resolveReporterConfig(
      { GITLAB_TOKEN: 't' },
      { host: 'gitlab', originUrl: 'git@git.example.com:ml/penguins.git' },
    );
    expect(gitlab).toMatchObject({
      apiUrl: 'https://git.example.com/api/v4',
      repository: 'ml/penguins',
    });
    const ghes = resolveReporterConfig(
      { GITHUB_TOKEN: 't' },
      { host: 'github', originUrl: 'https://ghe.example.com/octo/demo.git' },
    );
    expect(ghes).toMatchObject({
      apiUrl: 'https://ghe.example.com/api/v3',
      repository: 'octo/demo',
    });
  });

  it('builds the Bitbucket repository from the Pipelines workspace and slug', () => {
    const env = {
      BITBUCKET_BUILD_NUMBER: '17',
      BITBUCKET_WORKSPACE: 'acme',
      BITBUCKET_REPO_SLUG: 'penguins',
      BITBUCKET_TOKEN: 'b',
    };
    expect(resolveReporterConfig(env)).toMatchObject({
      host: 'bitbucket',
      repository: 'acme/penguins',
      apiUrl: 'https://api.bitbucket.org/2.0',
      tokenSource: 'BITBUCKET_TOKEN',
    });
  });

  it('lets the caller override host, repository and API URL', () => {
    const config = resolveReporterConfig(
      { GITHUB_ACTIONS: 'true', GITHUB_REPOSITORY: 'octo/other', BITBUCKET_TOKEN: 'b' },
      {
        host: 'bitbucket',
        repository: 'acme/penguins',
        apiUrl: 'http://127.0.0.1:9/2.0',
        originUrl: 'git@github.com:octo/other.git',
      },
    );
    expect(config).toMatchObject({
      host: 'bitbucket',
      repository: 'acme/penguins',
      apiUrl: 'http://127.0.0.1:9/2.0',
    });
  });

  it('names the variable to set when the token is missing', () => {
    expect(() =>
      resolveReporterConfig({}, { originUrl: 'git@github.com:octo/weft-demo.git' }),
    ).toThrow(
      'failed to report to GitHub: no token; set GITHUB_TOKEN (or WEFT_GITHUB_TOKEN) to a token allowed to write commit statuses and pull request comments (in Actions: permissions statuses: write, pull-requests: write)',
    );
    expect(() => resolveReporterConfig({}, { host: 'bitbucket', repository: 'a/b' })).toThrow(
      /^failed to report to Bitbucket: no token; set BITBUCKET_TOKEN \(or WEFT_BITBUCKET_TOKEN\)/,
    );
  });

  it('explains that a GitLab job token cannot do this', () => {
    const env = { GITLAB_CI: 'true', CI_PROJECT_ID: '1', CI_JOB_TOKEN: 'job' };
    expect(() => resolveReporterConfig(env)).toThrow(
      /set GITLAB_TOKEN \(or WEFT_GITLAB_TOKEN\) to a project access token with the api scope.*\(CI_JOB_TOKEN is set, but GitLab does not accept job tokens for commit statuses or merge request notes\)$/,
    );
  });

  it('says what is missing when neither host nor repository can be found', () => {
    expect(() =>
      resolveReporterConfig(
        { GITHUB_TOKEN: 't' },
        { originUrl: 'https://git.example.com/a/b.git' },
      ),
    ).toThrow(
      "failed to choose a Git host to report to: the origin's host git.example.com is not github.com, gitlab.com or bitbucket.org, and no CI environment says which; name the host (github, gitlab or bitbucket)",
    );
    expect(() => resolveReporterConfig({ GITHUB_TOKEN: 't' }, { host: 'github' })).toThrow(
      'failed to report to GitHub: no repository; set GITHUB_REPOSITORY, or give the origin URL or the repository',
    );
  });

  it('refuses an API URL that is not http(s)', () => {
    expect(() =>
      resolveReporterConfig({
        GITLAB_CI: 'true',
        CI_PROJECT_ID: '1',
        CI_API_V4_URL: 'gitlab.com/api/v4',
        GITLAB_TOKEN: 't',
      }),
    ).toThrow(
      'failed to report to GitLab: CI_API_V4_URL "gitlab.com/api/v4" is not an http(s) URL',
    );
  });

  it('errors are USAGE errors, so the CLI exits 2', () => {
    const error = (() => {
      try {
        return resolveReporterConfig({});
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toMatchObject({ name: 'WeftError', code: 'USAGE' });
  });
});

describe('reporterFromEnvironment', () => {
  it('reports to the host the environment names', async () => {
    const github = await startFakeGitHub('ghs_job');
    try {
      const reporter = reporterFromEnvironment({
        GITHUB_ACTIONS: 'true',
        GITHUB_REPOSITORY: 'octo/weft-demo',
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN: 'ghs_job',
      });
      expect([reporter.host, reporter.repository]).toEqual(['github', 'octo/weft-demo']);
      await reporter.setCommitStatus({ sha: SHA, state: 'success', context: 'weft/ci' });
      expect(github.operations).toEqual(['repos/create-commit-status']);
      expect(github.problems).toEqual([]);
    } finally {
      await github.close();
    }
  });
});
