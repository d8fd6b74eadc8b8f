import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WeftError } from '../core/errors.js';
import { flatten } from '../plan/staleness.js';
import type { MetricValue } from '../registry/types.js';

/** Numeric leaves of a metrics document (JSON or YAML), as dotted keys. */
export async function extractMetrics(file: string, text: string): Promise<MetricValue[]> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Not JSON: YAML (a superset), whose parser is loaded only for such files.
    const { parse } = await import('yaml');
    try {
      data = parse(text);
    } catch (error) {
      throw new WeftError('SPEC_INVALID', `failed to read metrics file ${file}: ${String(error)}`);
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return [];
  return Object.entries(flatten(data as Record<string, unknown>))
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([key, value]) => ({ file, key, value }));
}

export async function readMetricsFiles(root: string, files: string[]): Promise<MetricValue[]> {
  const all = await Promise.all(
    files.map(async (file) => await extractMetrics(file, await readFile(join(root, file), 'utf8'))),
  );
  return all.flat();
}
