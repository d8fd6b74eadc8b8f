import type { Resolver } from './resolver.js';
import { formatKeyPath, locatePath } from './yaml-document.js';
import type { YamlPath } from './yaml-document.js';

/**
 * A problem about a key itself, present where it must not be or missing a sibling, so it points
 * at the key (Resolver.report points at values).
 */
export function reportKey(r: Resolver, path: YamlPath, message: string): void {
  r.problems.push({ ...locatePath(r.source, path, 'key'), key: formatKeyPath(path), message });
}
