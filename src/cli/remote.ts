import type { ApiClient } from '../api/client.js';
import type { Page } from '../api/pagination.js';

/** Help text of the `--remote` option of read commands. */
export const REMOTE_OPTION_HELP =
  "read from a weft server's API (e.g. http://host:8080) instead of this workspace; token in WEFT_TOKEN";

/**
 * The API client for `--remote URL`. The token comes from WEFT_TOKEN, never from a flag: argv
 * is visible to every user of the machine. Loaded on demand, so local commands never pay for it.
 */
export async function openRemote(url: string): Promise<ApiClient> {
  const { ApiClient } = await import('../api/client.js');
  const token = process.env.WEFT_TOKEN;
  return new ApiClient({ baseUrl: url, ...(token ? { token } : {}) });
}

/** Every item of one remote list, page after page. */
export async function readRemote<T>(
  url: string,
  list: (client: ApiClient, cursor: string | undefined) => Promise<Page<T>>,
): Promise<T[]> {
  const client = await openRemote(url);
  return client.all((cursor) => list(client, cursor));
}
