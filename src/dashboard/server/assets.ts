import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What scripts/build.mjs writes to dist/dashboard/manifest.json. */
export interface DashboardManifest {
  /** The app's module and stylesheet, by their hashed names. */
  js: string;
  css: string | null;
  /** Every file under assets/ the server may send (maps and licences included). */
  files: string[];
}

/**
 * dist/dashboard of this weft: found from this module's own location, which is
 * dist/cli/chunk-*.js in the bundle and src/dashboard/server/ when run from source (tests).
 */
export function defaultAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'dashboard');
    const parent = dirname(dir);
    if (parent === dir) return join(dirname(fileURLToPath(import.meta.url)), 'dashboard');
    dir = parent;
  }
}

/**
 * The built assets, read once and kept in memory (they are a few hundred KiB). A missing
 * build is not cached: once `node scripts/build.mjs` has run, the next request finds it.
 */
export class DashboardAssets {
  readonly #dir: string;
  #manifest: Promise<DashboardManifest | undefined> | undefined;
  readonly #files = new Map<string, Promise<Buffer>>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  get dir(): string {
    return this.#dir;
  }

  /** undefined: not built (no manifest, or one that does not parse). */
  manifest(): Promise<DashboardManifest | undefined> {
    this.#manifest ??= readManifest(join(this.#dir, 'manifest.json')).then((manifest) => {
      if (manifest === undefined) this.#manifest = undefined;
      return manifest;
    });
    return this.#manifest;
  }

  /** A file the manifest lists, or undefined for any other name (no paths, no guessing). */
  async file(name: string): Promise<Buffer | undefined> {
    const manifest = await this.manifest();
    if (!manifest?.files.includes(name)) return undefined;
    let bytes = this.#files.get(name);
    if (bytes === undefined) {
      bytes = readFile(join(this.#dir, 'assets', name));
      this.#files.set(name, bytes);
      bytes.catch(() => this.#files.delete(name));
    }
    return bytes.catch(() => undefined);
  }
}

async function readManifest(path: string): Promise<DashboardManifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<DashboardManifest>;
    if (typeof parsed.js !== 'string' || !Array.isArray(parsed.files)) return undefined;
    return {
      js: parsed.js,
      css: parsed.css ?? null,
      files: parsed.files.filter((f) => typeof f === 'string'),
    };
  } catch {
    return undefined;
  }
}
