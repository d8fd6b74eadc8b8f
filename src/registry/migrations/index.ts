import type { Migration, MigrationProvider } from 'kysely';
import * as createRunHistory from './0001-create-run-history.js';
import * as modelRegistry from './0002-model-registry.js';
import * as modelChecks from './0003-model-checks.js';
import * as auditLog from './0004-audit-log.js';
import * as controllerStatus from './0005-controller-status.js';
import * as apiTokens from './0006-api-tokens.js';
import * as listIndexes from './0007-list-indexes.js';

/**
 * Every schema migration, in order. Names sort in the order they must run; a new migration is a
 * new module here, never an edit of one already released (stores in the field have run it).
 */
export const metadataMigrations: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-create-run-history': createRunHistory,
  '0002-model-registry': modelRegistry,
  '0003-model-checks': modelChecks,
  '0004-audit-log': auditLog,
  '0005-controller-status': controllerStatus,
  '0006-api-tokens': apiTokens,
  '0007-list-indexes': listIndexes,
});

/** In-code provider, so migrations ship inside the bundle instead of being read from disk. */
export const metadataMigrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve({ ...metadataMigrations }),
};
