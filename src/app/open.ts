import { openMetadataStore } from '../registry/index.js';
import type { MetadataStore } from '../registry/types.js';
import { openObjectStore, type ObjectStore } from '../store/index.js';
import type { ResolvedConfig } from './config.js';

export function openStore(config: ResolvedConfig): Promise<ObjectStore> {
  return openObjectStore(config.storeDir);
}

/**
 * Hands `use` a way to open the metadata store when it is ready for it (opening loads the SQL
 * layer and may migrate a new database: a run first gets its hashing going), opens it at most
 * once, and closes it afterwards whatever happens.
 */
export async function withMetadataOnDemand<T>(
  config: ResolvedConfig,
  use: (openMetadata: () => Promise<MetadataStore>) => Promise<T>,
): Promise<T> {
  let opening: Promise<MetadataStore> | undefined;
  try {
    return await use(() => (opening ??= openMetadataStore(config.metadata)));
  } finally {
    // An open that failed has already reported its error through `use`.
    await opening?.then(
      (metadata) => metadata.close(),
      () => undefined,
    );
  }
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
