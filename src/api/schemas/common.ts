/**
 * JSON Schemas of what the API answers, shared by its routes. Each has an `$id`: fastify
 * serializes with them and @fastify/swagger publishes them as `components.schemas.<id>`.
 */

export const nullable = (type: string, extra: object = {}) => ({ type: [type, 'null'], ...extra });
export const dateTime = { type: 'string', format: 'date-time' } as const;
export const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
/** Free JSON: params, results and statuses whose shape belongs to another module. */
export const anyJson = {} as const;
export const ref = (id: string) => ({ $ref: `${id}#` });

export const errorSchema = {
  $id: 'Error',
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string', description: 'What went wrong, naming the parameter.' } },
} as const;

/** `{items, nextCursor}` of one schema. */
export function pageOf(id: string): object {
  return {
    type: 'object',
    required: ['items', 'nextCursor'],
    properties: {
      items: { type: 'array', items: ref(id) },
      nextCursor: nullable('string', { description: 'Pass as `cursor` for the next page.' }),
    },
  };
}

/** Error answers every authenticated route may give. */
export const errorResponses = {
  400: ref('Error'),
  401: ref('Error'),
  403: ref('Error'),
  404: ref('Error'),
} as const;

export const timeParam = (what: string) => ({
  type: 'string',
  maxLength: 40,
  description: `${what}: an ISO-8601 time or milliseconds since the epoch.`,
});

export const digestPattern = '^sha256:[0-9a-f]{64}$';
export const commitPattern = '^[0-9a-fA-F]{1,40}$';
export const namePattern = '^[^/\\s][^/]{0,199}$';
