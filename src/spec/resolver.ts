import type { SpecProblem } from '../core/errors.js';
import type { ParamRef } from './params.js';
import { normalizeRepoPath } from './paths.js';
import { formatKeyPath, locatePath } from './yaml-document.js';
import type { YamlPath, YamlSource } from './yaml-document.js';

/** Collects problems in one place while resolving; each names a path into the document. */
export class Resolver {
  readonly problems: SpecProblem[] = [];
  readonly paramRefs: ParamRef[] = [];

  constructor(readonly source: YamlSource) {}

  report(path: YamlPath, message: string): void {
    this.problems.push({
      ...locatePath(this.source, path, 'value'),
      key: formatKeyPath(path),
      message,
    });
  }

  path(raw: unknown, at: YamlPath, allowRoot = false): string | undefined {
    if (typeof raw !== 'string') return undefined;
    const check = normalizeRepoPath(raw, { allowRoot });
    if (check.ok) return check.path;
    this.report(at, check.reason);
    return undefined;
  }

  paths(raw: unknown, at: YamlPath): { path: string; at: YamlPath }[] {
    const out: { path: string; at: YamlPath }[] = [];
    for (const [index, item] of toArray(raw).entries()) {
      const path = this.path(item, [...at, index]);
      if (path !== undefined) out.push({ path, at: [...at, index] });
    }
    return out;
  }
}

export function toArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
