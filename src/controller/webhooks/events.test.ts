import { describe, expect, it } from 'vitest';
import { decideTrigger, parseWebhookEvent } from './events.js';
import { octokitExamples, octokitPayload, readFixture } from './testing.js';
import type { WebhookEvent, WebhookHeaders, WebhookProvider } from './types.js';

const JSON_TYPE = { 'content-type': 'application/json' };

function parse(
  provider: WebhookProvider,
  headers: WebhookHeaders,
  body: Buffer | string,
  branch?: string,
): WebhookEvent {
  const result = parseWebhookEvent(
    provider,
    { ...JSON_TYPE, ...headers },
    Buffer.from(body),
    branch,
  );
  if (!result.ok) throw new Error(result.reason);
  return result.value;
}

describe('GitHub events from @octokit/webhooks-examples', () => {
  const delivery = { 'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958' };

  it('reads a branch push: ref, branch, head commit, repository, delivery id', () => {
    const body = octokitPayload('push', (p) => p.ref === 'refs/heads/master');
    expect(parse('github', { ...delivery, 'x-github-event': 'push' }, body)).toEqual({
      provider: 'github',
      deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      kind: 'push',
      ref: 'refs/heads/master',
      branch: 'master',
      commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      repository: 'Codertocat/Hello-World',
    });
  });

  it('reads tag pushes as tags and a deleted ref as having no commit', () => {
    const pushes = octokitExamples('push');
    const events = pushes.map((p) =>
      parse('github', { 'x-github-event': 'push' }, JSON.stringify(p)),
    );
    expect(events.map((e) => e.kind).sort()).toEqual(
      pushes.map((p) => (String(p.ref).startsWith('refs/tags/') ? 'tag' : 'push')).sort(),
    );
    const deleted = events.find((e, i) => pushes[i]?.deleted === true);
    expect(deleted).toMatchObject({ kind: 'tag', ref: 'refs/tags/simple-tag' });
    expect(deleted?.commit).toBeUndefined();
  });

  it('reads a ping, and any other event as other', () => {
    const ping = octokitPayload('ping');
    expect(parse('github', { 'x-github-event': 'ping' }, ping)).toMatchObject({ kind: 'ping' });
    expect(parse('github', { 'x-github-event': 'star' }, ping)).toMatchObject({ kind: 'other' });
  });

  it('reads the form-encoded variant (payload=<json>)', () => {
    const json = octokitPayload('push', (p) => p.ref === 'refs/heads/master').toString();
    const form = new URLSearchParams({ payload: json }).toString();
    const headers = {
      'content-type': 'application/x-www-form-urlencoded',
      'x-github-event': 'push',
    };
    expect(parse('github', headers, form)).toMatchObject({ kind: 'push', branch: 'master' });
  });
});

describe('GitLab events (documented payloads)', () => {
  it('reads a Push Hook, preferring Idempotency-Key over the event UUID', () => {
    const headers = { 'x-gitlab-event': 'Push Hook', 'x-gitlab-event-uuid': 'event-1' };
    const body = readFixture('gitlab-push.json');
    expect(parse('gitlab', headers, body)).toEqual({
      provider: 'gitlab',
      deliveryId: 'event-1',
      kind: 'push',
      ref: 'refs/heads/master',
      branch: 'master',
      commit: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      repository: 'mike/diaspora',
    });
    const retried = parse('gitlab', { ...headers, 'idempotency-key': 'key-1' }, body);
    expect(retried.deliveryId).toBe('key-1');
  });

  it('reads a Tag Push Hook as a tag, and a system hook by its object_kind', () => {
    const body = readFixture('gitlab-tag-push.json');
    expect(parse('gitlab', { 'x-gitlab-event': 'Tag Push Hook' }, body)).toMatchObject({
      kind: 'tag',
      ref: 'refs/tags/v1.0.0',
      repository: 'jsmith/example',
    });
    const push = readFixture('gitlab-push.json');
    expect(parse('gitlab', { 'x-gitlab-event': 'System Hook' }, push).kind).toBe('push');
    expect(parse('gitlab', { 'x-gitlab-event': 'Issue Hook' }, push).kind).toBe('other');
  });
});

describe('Bitbucket events (documented payloads)', () => {
  it('reads a Cloud repo:push from push.changes[].new', () => {
    const headers = { 'x-event-key': 'repo:push', 'x-request-uuid': 'cloud-1' };
    expect(parse('bitbucket', headers, readFixture('bitbucket-cloud-push.json'))).toEqual({
      provider: 'bitbucket',
      deliveryId: 'cloud-1',
      kind: 'push',
      ref: 'refs/heads/name-of-branch',
      branch: 'name-of-branch',
      commit: '709d658dc5b6d6afcd46049c2f332ee3f515a67d',
      repository: 'team_name/repo_name',
    });
  });

  it('reads a Cloud branch deletion (new: null) by its old name, with no commit', () => {
    const payload = JSON.parse(readFixture('bitbucket-cloud-push.json').toString()) as {
      push: { changes: Array<{ new: unknown }> };
    };
    payload.push.changes[0]!.new = null;
    const event = parse('bitbucket', { 'x-event-key': 'repo:push' }, JSON.stringify(payload));
    expect(event).toMatchObject({ kind: 'push', branch: 'name-of-branch' });
    expect(event.commit).toBeUndefined();
  });

  it('reads a Server repo:refs_changed from changes[].ref and toHash', () => {
    const headers = { 'x-event-key': 'repo:refs_changed', 'x-request-id': 'server-1' };
    expect(parse('bitbucket', headers, readFixture('bitbucket-server-refs-changed.json'))).toEqual({
      provider: 'bitbucket',
      deliveryId: 'server-1',
      kind: 'push',
      ref: 'refs/heads/master',
      branch: 'master',
      commit: '22671f0349857934857983457983475ec39f196b',
      repository: 'MYPROJECT/test-repo',
    });
  });

  it('reports the change on the tracked branch when one push moves several refs', () => {
    const payload = JSON.parse(readFixture('bitbucket-server-refs-changed.json').toString()) as {
      changes: unknown[];
    };
    payload.changes.unshift({
      ref: { id: 'refs/heads/feature', displayId: 'feature', type: 'BRANCH' },
      refId: 'refs/heads/feature',
      fromHash: '0000000000000000000000000000000000000000',
      toHash: '4a24622fd85f304770079a8b4dbf9566ea1928c5',
      type: 'ADD',
    });
    const headers = { 'x-event-key': 'repo:refs_changed' };
    const body = JSON.stringify(payload);
    expect(parse('bitbucket', headers, body, 'master').branch).toBe('master');
    expect(parse('bitbucket', headers, body, 'main').branch).toBe('feature');
  });

  it('reads diagnostics:ping (Server "test connection") as a ping', () => {
    const event = parse('bitbucket', { 'x-event-key': 'diagnostics:ping' }, '{"test": true}');
    expect(event.kind).toBe('ping');
  });
});

describe('generic events and malformed bodies', () => {
  it('reads ref or branch, and an empty body as a plain reconcile request', () => {
    const delivery = { 'x-weft-delivery': 'd-1' };
    expect(parse('generic', delivery, '{"branch": "main", "commit": "abc"}')).toEqual({
      provider: 'generic',
      deliveryId: 'd-1',
      kind: 'push',
      ref: 'refs/heads/main',
      branch: 'main',
      commit: 'abc',
    });
    expect(parse('generic', {}, '{"ref": "refs/tags/v2"}').kind).toBe('tag');
    expect(parse('generic', delivery, '')).toEqual({
      provider: 'generic',
      deliveryId: 'd-1',
      kind: 'push',
    });
  });

  it('identifies a delivery without an id header by the digest of its body', () => {
    const event = parse('generic', {}, '{"branch": "main"}');
    expect(event.deliveryId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(parse('generic', {}, '{"branch": "main"}').deliveryId).toBe(event.deliveryId);
  });

  it('returns a reason, not an exception, for a body that is not JSON', () => {
    const notJson = parseWebhookEvent('github', JSON_TYPE, Buffer.from('{"ref":'));
    expect(notJson).toEqual({ ok: false, reason: 'body is not JSON' });
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const noField = parseWebhookEvent('github', form, Buffer.from('other=1'));
    expect(noField).toEqual({ ok: false, reason: 'form body has no "payload" field' });
  });
});

describe('decideTrigger', () => {
  const event = (fields: Partial<WebhookEvent>): WebhookEvent => ({
    provider: 'github',
    deliveryId: 'd',
    kind: 'push',
    ...fields,
  });
  const cases: Array<[string, WebhookEvent, boolean, string]> = [
    ['a push to the tracked branch', event({ branch: 'main' }), true, 'push to main'],
    ['a push to another branch', event({ branch: 'dev' }), false, 'push to dev, tracking main'],
    ['a tag', event({ kind: 'tag', ref: 'refs/tags/v1' }), false, 'tag refs/tags/v1'],
    ['a ping', event({ kind: 'ping' }), false, 'ping'],
    ['another event', event({ kind: 'other' }), false, 'not a push event'],
    ['a push naming no branch', event({}), true, 'reconcile requested'],
  ];
  it.each(cases)('%s', (_label, input, triggered, reason) => {
    expect(decideTrigger(input, 'main')).toEqual({
      triggered,
      reason: expect.stringContaining(reason) as string,
    });
  });
});
