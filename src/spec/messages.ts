/** "a number", "a list"; with `showValue`, scalars are shown as written (`"weft.dev/v2"`). */
export function describeValue(value: unknown, showValue = false): string {
  if (value === null || value === undefined) return 'an empty value';
  if (Array.isArray(value)) return 'a list';
  if (showValue && typeof value !== 'object') return JSON.stringify(value);
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'boolean') return 'a boolean';
  return `a ${typeof value}`;
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  array: 'a list',
  boolean: 'true or false',
  integer: 'an integer',
  null: 'an empty value',
  number: 'a number',
  object: 'a mapping',
  string: 'a string',
};

const PLURAL_NAMES: Readonly<Record<string, string>> = {
  integer: 'integers',
  number: 'numbers',
  object: 'mappings',
  string: 'strings',
};

/**
 * JSON Schema type names as a reader would say them, using the schema for detail:
 * `string,array` of strings -> "a string or a list of strings"; an object with required keys
 * -> "a mapping with key cmd".
 */
export function describeTypes(types: unknown, schema?: Record<string, unknown>): string {
  const list = Array.isArray(types) ? (types as string[]) : String(types).split(',');
  return list.map((t) => describeType(t, schema)).join(' or ');
}

function describeType(type: string, schema?: Record<string, unknown>): string {
  const items = schema?.items as Record<string, unknown> | undefined;
  const plural = typeof items?.type === 'string' ? PLURAL_NAMES[items.type] : undefined;
  if (type === 'array' && plural !== undefined) return `a list of ${plural}`;
  const required = schema?.required;
  if (type === 'object' && Array.isArray(required) && required.length > 0) {
    const keys = required.map(String);
    return `a mapping with ${keys.length === 1 ? 'key' : 'keys'} ${keys.join(', ')}`;
  }
  return TYPE_NAMES[type] ?? type;
}
