import { afterEach, describe, expect, it } from 'vitest';
import { startGitHubWithReporter, type FakeGitHub } from '../git-hosts/fake-github.testing.js';
import { commitStatusOf, reportCommitStatus } from './commit-status.js';
import { createControllerEvent } from './notify/index.js';

const SHA = 'a'.repeat(40);
const event = (
  type: string,
  kind = 'ModelDeployment',
  revision: string | null = `main@sha1:${SHA}`,
) =>
  createControllerEvent({
    type,
    severity: 'info',
    object: { kind, name: 'penguins' },
    ...(revision ? { revision } : {}),
    message: `${type} happened`,
  });

describe('commitStatusOf', () => {
  it.each([
    ['CanaryStarted', 'pending'],
    ['ShadowStarted', 'pending'],
    ['SwitchedOver', 'pending'],
    ['Applied', 'success'],
    ['Promoted', 'success'],
    ['RolledBack', 'failure'],
    ['ReconcileFailed', 'error'],
  ])('%s sets %s on the revision the deployment was at', (type, state) => {
    expect(commitStatusOf(event(type))).toEqual({
      sha: SHA,
      state,
      context: 'weft/deploy/penguins',
      description: `${type} happened`,
    });
  });

  it.each([
    ['an event that says nothing of a rollout', event('InputDrift')],
    ['an event of another kind of object', event('Applied', 'GitSource')],
    ['an event without a revision', event('Applied', 'ModelDeployment', null)],
  ])('sets nothing for %s', (_, given) => {
    expect(commitStatusOf(given)).toBeNull();
  });
});

describe('reportCommitStatus on a (fake, OpenAPI-checked) GitHub', () => {
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    await github?.close();
    github = undefined;
  });

  it('posts the status of the commit', async () => {
    const started = await startGitHubWithReporter();
    github = started.github;
    const warnings: object[] = [];
    await reportCommitStatus(started.reporter, event('RolledBack'), {
      warn: (fields) => warnings.push(fields),
    });
    expect(github.statuses).toEqual([
      expect.objectContaining({ sha: SHA, state: 'failure', context: 'weft/deploy/penguins' }),
    ]);
    expect(warnings).toEqual([]);
  });

  it('logs a host that refuses and never throws', async () => {
    const warnings: Array<{ context?: string }> = [];
    const refusing = { setCommitStatus: () => Promise.reject(new Error('422 from GitHub')) };
    await reportCommitStatus(refusing, event('Applied'), {
      warn: (fields) => warnings.push(fields),
    });
    expect(warnings).toEqual([expect.objectContaining({ context: 'weft/deploy/penguins' })]);
  });
});
