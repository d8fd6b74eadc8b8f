import { openMetadataStore } from '../registry/index.js';
import type { MetadataStore } from '../registry/types.js';
import { openObjectStore, type ObjectStore } from '../store/index.js';
import type { ResolvedConfig } from './config.js';

export function openStore(config: ResolvedConfig): Promise<ObjectStore> {
  return openObjectStore(config.storeDir);
}

/** Opens the metadata store for the duration of `use`, and closes it whatever happens. */
export async function withMetadata<T>(
  config: ResolvedConfig,
  use: (metadata: MetadataStore) => Promise<T>,
): Promise<T> {
  const metadata = await openMetadataStore(config.metadata);
  try {
    return await use(metadata);
  } finally {
    await metadata.close();
  }
}
