import { WeftError } from '../core/errors.js';
import type { ParamValues } from './types.js';

/**
 * Reading params by dotted path. Kept apart from parsing (and the YAML library) because every
 * `weft run` selects params while the parser is only loaded when a spec file changed.
 */

/** A YAML mapping as plain data (not a list, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path (`train.lr`; digits index lists: `layers.0`). */
export function lookupParam(
  params: ParamValues,
  path: string,
): { found: true; value: unknown } | { found: false } {
  let node: unknown = params;
  for (const segment of path.split('.')) {
    if (Array.isArray(node) && /^\d+$/.test(segment) && Number(segment) < node.length) {
      node = node[Number(segment)];
    } else if (isPlainObject(node) && Object.hasOwn(node, segment)) {
      node = node[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: node };
}

/**
 * The values the dotted `paths` select, keyed by path: `train.lr` gives a value, `train` the
 * whole section. A path that does not exist is a bug in the caller (validateParamRefs checks
 * references when the spec is read), so it throws.
 */
export function selectParams(
  params: ParamValues,
  paths: readonly string[],
): Record<string, unknown> {
  // fromEntries, not assignment: a param named `__proto__` must stay a plain key.
  return Object.fromEntries(paths.map((path) => [path, selectParam(params, path)]));
}

function selectParam(params: ParamValues, path: string): unknown {
  const hit = lookupParam(params, path);
  if (!hit.found) throw new WeftError('SPEC_INVALID', `failed to select param ${path}: not found`);
  return hit.value;
}

/** Every dotted path into mappings of `params` (lists are leaves), for suggestions. */
export function listParamPaths(params: ParamValues, prefix = '', out: string[] = []): string[] {
  for (const [key, value] of Object.entries(params)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    out.push(path);
    if (isPlainObject(value)) listParamPaths(value, path, out);
  }
  return out;
}
