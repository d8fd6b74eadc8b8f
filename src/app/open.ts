import { openMetadataStore } from '../registry/index.js';
import type { MetadataStore } from '../registry/types.js';
import { openObjectStore, type ObjectStore } from '../store/index.js';
import type { ResolvedConfig } from './config.js';

export function openStore(config: ResolvedConfig): Promise<ObjectStore> {
  return openObjectStore(config.storeDir);
}

/**
 * Starts opening the metadata store and hands the pending store to `use` (which can do other
 * I/O meanwhile); closes it afterwards whatever happens.
 */
export async function withMetadataOpening<T>(
  config: ResolvedConfig,
  use: (metadata: Promise<MetadataStore>) => Promise<T>,
): Promise<T> {
  const opening = openMetadataStore(config.metadata);
  // Handled here so a failure before `use` awaits it is not an unhandled rejection; `use`
  // still sees the error when it awaits.
  opening.catch(() => undefined);
  try {
    return await use(opening);
  } finally {
    // An open that failed has already reported its error through `use`.
    await opening.then(
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
