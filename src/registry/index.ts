import type { MetadataStore, MetadataStoreConfig } from './types.js';

export type * from './types.js';

/**
 * Opens the run-history store and brings its schema up to date. Concurrent opens of one
 * database are safe. The driver modules load only here, so importing this module stays cheap.
 */
export async function openMetadataStore(config: MetadataStoreConfig): Promise<MetadataStore> {
  if (config.kind === 'sqlite') {
    const { openSqliteMetadataStore } = await import('./sqlite.js');
    return openSqliteMetadataStore(config.path);
  }
  const { openPostgresMetadataStore } = await import('./postgres.js');
  return openPostgresMetadataStore(config.url, config.schema);
}
