/**
 * An Open Inference Protocol request the server refuses, with the HTTP status it answers with
 * (400 for a malformed or mismatched request, 404 for an unknown model, 413 for a request over the
 * size limit, 500 for output JSON cannot carry). The message names the field or tensor at fault
 * and becomes the `{"error": message}` body.
 */
export class OipError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'OipError';
    this.status = status;
  }
}

const SHOWN_STRING_LENGTH = 40;

/** A JSON value as an error message shows it: `null`, `"NaN"`, `3.5`, `an array`, `nothing`. */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') {
    const shown =
      value.length > SHOWN_STRING_LENGTH ? `${value.slice(0, SHOWN_STRING_LENGTH)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value;
}

/** `[1, 7]`, the way shapes read in messages. */
export function formatShape(shape: readonly unknown[]): string {
  const dimensions = shape.map((d) => (typeof d === 'number' ? String(d) : describeJsonValue(d)));
  return `[${dimensions.join(', ')}]`;
}
