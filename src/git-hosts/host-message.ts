/**
 * What a Git host said when it refused a request, from its error body: GitHub
 * `{message, errors: [{resource, field, code, message}]}`, GitLab `{message}` (a string, a list
 * or a field map) or `{error, error_description}`, Bitbucket `{type: "error", error: {message,
 * detail, fields}}`. Falls back to the start of the body, then to the status text.
 */
const MAX_DETAIL_CHARS = 300;

export function describeHostMessage(bodyText: string, statusText: string): string {
  const parsed = parseJson(bodyText);
  const said =
    parsed === undefined ? bodyText.trim() : (messageOf(parsed) ?? compactJson(parsed) ?? '');
  const detail = said.length > 0 ? said : statusText || 'no message';
  return detail.length > MAX_DETAIL_CHARS ? `${detail.slice(0, MAX_DETAIL_CHARS)}…` : detail;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function messageOf(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  if (isRecord(body.error)) return bitbucketMessage(body.error);
  const main = flatten(body.message) ?? flatten(body.error);
  if (main === undefined) return undefined;
  const details = [flatten(body.error_description), githubErrors(body.errors)].filter(Boolean);
  return details.length > 0 ? `${main} (${details.join('; ')})` : main;
}

function bitbucketMessage(error: Record<string, unknown>): string | undefined {
  const parts = [flatten(error.message), flatten(error.detail), flatten(error.fields)];
  const said = [...new Set(parts.filter((part): part is string => Boolean(part)))];
  return said.length > 0 ? said.join(': ') : undefined;
}

function githubErrors(errors: unknown): string | undefined {
  if (!Array.isArray(errors)) return undefined;
  const described = errors.map((e) => {
    if (!isRecord(e)) return String(e);
    if (typeof e.message === 'string') return e.message;
    return [e.resource, e.field, e.code].filter((part) => typeof part === 'string').join(' ');
  });
  return described.length > 0 ? described.join('; ') : undefined;
}

/** A string, a list of strings, or a `{field: [messages]}` map (GitLab, Bitbucket) as one line. */
function flatten(value: unknown): string | undefined {
  if (typeof value === 'string') return value.length > 0 ? value : undefined;
  if (Array.isArray(value)) {
    const parts = value.map(flatten).filter((part): part is string => part !== undefined);
    return parts.length > 0 ? parts.join(', ') : undefined;
  }
  if (isRecord(value)) {
    const parts = Object.entries(value).map(([key, inner]) => `${key} ${flatten(inner) ?? ''}`);
    return parts.length > 0 ? parts.join('; ').trim() : undefined;
  }
  return undefined;
}

function compactJson(value: unknown): string | undefined {
  const text = JSON.stringify(value);
  return text === '{}' || text === '[]' ? undefined : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
