import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** From package.json, so `weft --version` never disagrees with what npm installed. */
export const WEFT_VERSION = (require('../../package.json') as { version: string }).version;
