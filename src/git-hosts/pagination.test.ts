import { describe, expect, it } from 'vitest';
import { startFakeHost } from './fake-host.testing.js';
import { HostClient } from './host-client.js';
import { findInPages, nextLinkFromHeader } from './pagination.js';

describe('nextLinkFromHeader', () => {
  it('finds rel="next" wherever it is and however it is quoted', () => {
    const link =
      '<https://api.github.com/x?page=1>; rel="prev", <https://api.github.com/x?page=3>; rel="next", <https://api.github.com/x?page=9>; rel="last"';
    expect(nextLinkFromHeader(link)).toBe('https://api.github.com/x?page=3');
    expect(nextLinkFromHeader('<https://h/a?b=1,2>; rel=next')).toBe('https://h/a?b=1,2');
    expect(nextLinkFromHeader('<https://h/a>; rel="prev next"')).toBe('https://h/a');
    expect(nextLinkFromHeader('<https://h/a>; rel="last"')).toBeUndefined();
    expect(nextLinkFromHeader(null)).toBeUndefined();
  });
});

describe('findInPages', () => {
  it('stops when the host’s next link leads back to a page already seen', async () => {
    const host = await startFakeHost({
      validate: () => [],
      handle: (request, baseUrl) => ({
        status: 200,
        body: [],
        headers: { Link: `<${baseUrl}${request.rawPath}?page=1>; rel="next"` },
      }),
    });
    try {
      const client = new HostClient({
        host: 'GitHub',
        baseUrl: host.url,
        headers: {},
        secrets: [],
      });
      const walk = findInPages(
        client,
        {
          action: 'list comments',
          method: 'GET',
          path: '/items',
          query: { page: 1 },
          repeatable: true,
        },
        (response) => ({ items: [], next: nextLinkFromHeader(response.headers.get('link'))! }),
        () => true,
      );
      await expect(walk).rejects.toThrow(/failed to list comments: gave up after 2 pages/);
      expect(host.requests).toHaveLength(2);
    } finally {
      await host.close();
    }
  });
});
