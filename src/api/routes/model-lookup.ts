import type { Digest } from '../../core/digest.js';
import type { ModelVersionRef } from '../../registry/types.js';
import type { ApiContext } from '../context.js';
import { ApiError } from '../errors.js';
import { pageInMemory, type PageQuery } from '../pagination.js';
import { namePattern } from '../schemas/common.js';

/** Finding a model and its versions, shared by the model and alias routes. */

export const modelParams = {
  type: 'object',
  required: ['name'],
  properties: { name: { type: 'string', pattern: namePattern } },
} as const;

/** `12` is a version number, `sha256:...` an artifact digest, anything else an alias. */
export function parseVersionRef(ref: string): ModelVersionRef {
  if (/^\d+$/.test(ref)) return { version: Number(ref) };
  if (ref.startsWith('sha256:')) return { digest: ref as Digest };
  return { alias: ref };
}

export async function findVersion(ctx: ApiContext, name: string, ref: string) {
  const version = await ctx.store.getModelVersion(name, parseVersionRef(ref));
  if (version === undefined) throw new ApiError(404, `no version ${ref} of model ${name}`);
  return version;
}

export async function assertModelExists(ctx: ApiContext, name: string): Promise<void> {
  const [any] = await ctx.store.listModelVersions(name, { limit: 1 });
  if (any === undefined) throw new ApiError(404, `no model ${name}`);
}

/** Sorts by a key and pages by it (for the small lists of one model). */
export function pageByKey<T>(
  items: T[],
  query: PageQuery,
  list: string,
  keyOf: (item: T) => string,
) {
  const sorted = [...items].sort((a, b) =>
    keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0,
  );
  return pageInMemory(sorted, query, list, keyOf, 'string');
}
