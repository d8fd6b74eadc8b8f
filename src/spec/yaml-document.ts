import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import type { SourceLocation, SpecProblem } from '../core/errors.js';

/** A path into a document: mapping keys and sequence indices, outermost first. */
export type YamlPath = readonly (string | number)[];

/** A parsed YAML file that can answer "where is this key" for error messages. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain data; undefined when it could not be parsed. */
  data: unknown;
}

/**
 * Parses `text` keeping node positions. Malformed YAML (tabs, bad indentation, duplicate keys,
 * unclosed quotes, several documents) yields problems at the parser's position and no data.
 */
export function parseYamlSource(
  text: string,
  file: string,
): { source: YamlSource; problems: SpecProblem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const source: YamlSource = { file, doc, lineCounter, data: undefined };
  const problems = doc.errors.map((error) => {
    const path = findPathAt(doc.contents, error.pos[0], []) ?? [];
    const message = describeYamlError(error.code, error.message, path);
    return { ...positionAt(source, error.pos[0]), key: formatKeyPath(path), message };
  });
  if (problems.length === 0) {
    try {
      source.data = doc.toJS({ maxAliasCount: 100 }) as unknown;
    } catch (error) {
      // Alias bombs: the parser accepts them, expanding them is what fails.
      const message = `invalid YAML: ${error instanceof Error ? error.message : String(error)}`;
      problems.push({ file, line: 1, col: 1, key: '', message });
    }
  }
  return { source, problems };
}

function describeYamlError(code: string, message: string, path: YamlPath): string {
  const last = path[path.length - 1];
  if (code === 'DUPLICATE_KEY' && typeof last === 'string') {
    return `invalid YAML: key "${last}" appears twice in the same mapping`;
  }
  if (code === 'MULTIPLE_DOCS') {
    return 'invalid YAML: a second document starts here; a spec file holds one document';
  }
  return `invalid YAML: ${message.charAt(0).toLowerCase()}${message.slice(1)}`;
}

/** 1-based line and column of a character offset. */
export function positionAt(source: YamlSource, offset: number): SourceLocation {
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, col };
}

/**
 * Where `path` is written. `target: 'key'` points at the key naming the last segment (what an
 * unknown or misspelt key error should show); `'value'` at its value, falling back to the key
 * when the value is empty. A path that only partly exists resolves to its deepest existing part.
 */
export function locatePath(
  source: YamlSource,
  path: YamlPath,
  target: 'key' | 'value',
): SourceLocation {
  const { key, value } = walkPath(source.doc, path);
  const valueStart = isEmptyScalar(value) ? undefined : value?.range?.[0];
  const keyStart = key?.range?.[0];
  const offset = target === 'value' ? (valueStart ?? keyStart) : (keyStart ?? valueStart);
  if (offset === undefined) return { file: source.file, line: 1, col: 1 };
  return positionAt(source, offset);
}

function isEmptyScalar(node: Node | null): boolean {
  return isScalar(node) && node.value === null && node.source === '';
}

function walkPath(doc: Document.Parsed, path: YamlPath): { key: Node | null; value: Node | null } {
  let key: Node | null = null;
  let value = asNode(doc.contents, doc);
  for (const segment of path) {
    const step = stepInto(value, segment, doc);
    if (step === undefined) break;
    ({ key, value } = step);
  }
  return { key, value };
}

function stepInto(
  node: Node | null,
  segment: string | number,
  doc: Document.Parsed,
): { key: Node | null; value: Node | null } | undefined {
  if (isMap(node)) {
    const pair = indexPairs(node).get(String(segment));
    if (pair === undefined) return undefined;
    return { key: asNode(pair.key, doc), value: asNode(pair.value, doc) };
  }
  if (isSeq(node)) {
    const item = asNode(node.items[Number(segment)], doc);
    return item === null ? undefined : { key: item, value: item };
  }
  return undefined;
}

type MapNode = YAMLMap<unknown, unknown>;
type MapPair = MapNode['items'][number];

/** Locating every stage would rescan the stages mapping each time; index each mapping once. */
const pairIndexes = new WeakMap<MapNode, Map<string, MapPair>>();

function indexPairs(node: MapNode): Map<string, MapPair> {
  let index = pairIndexes.get(node);
  if (index === undefined) {
    index = new Map();
    for (const pair of node.items) {
      // First wins, as in the duplicate-key error the parser reports.
      if (isScalar(pair.key) && !index.has(String(pair.key.value)))
        index.set(String(pair.key.value), pair);
    }
    pairIndexes.set(node, index);
  }
  return index;
}

function asNode(value: unknown, doc: Document.Parsed): Node | null {
  if (isAlias(value)) return (value.resolve(doc) as Node | undefined) ?? null;
  return isScalar(value) || isMap(value) || isSeq(value) ? value : null;
}

/** The path of the deepest key or item whose source range contains `offset`. */
function findPathAt(
  node: unknown,
  offset: number,
  path: (string | number)[],
): YamlPath | undefined {
  const items: unknown[] = isMap(node) || isSeq(node) ? node.items : [];
  for (const [index, item] of items.entries()) {
    if (isPair(item)) {
      const keyName = isScalar(item.key) ? String(item.key.value) : String(index);
      const start = (item.key as Node | null)?.range?.[0] ?? -1;
      const end = (item.value as Node | null)?.range?.[2] ?? (item.key as Node | null)?.range?.[2];
      if (end === undefined || offset < start || offset >= end) continue;
      return findPathAt(item.value, offset, [...path, keyName]) ?? [...path, keyName];
    }
    const range = (item as Node | null)?.range;
    if (range && offset >= range[0] && offset < range[2]) {
      return findPathAt(item, offset, [...path, index]) ?? [...path, index];
    }
  }
  return undefined;
}

/**
 * `spec.stages.train.deps[0]`: dotted keys, bracketed indices, and quoted keys where a dot or
 * odd character would make the dotted form ambiguous.
 */
export function formatKeyPath(path: YamlPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z0-9_-]+$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export { isPlainObject } from './param-paths.js';
