/**
 * The hidden marker that finds weft's own comment again, and the comment body around it. Pure.
 */
import { gitHostUsageError } from './errors.js';

/** How a marker hides in a comment: an HTML comment, or a Markdown link reference definition. */
export type MarkerStyle = 'html-comment' | 'link-reference';

// No `-->`, `)` or whitespace, so a marker can never close its hiding place early.
const MARKER = /^[A-Za-z0-9._:/%-]+$/;

export function renderMarker(marker: string, style: MarkerStyle): string {
  if (!MARKER.test(marker) || marker.includes('--')) {
    throw gitHostUsageError(
      `failed to use comment marker ${JSON.stringify(marker)}: use letters, digits and . : _ / % - (no "--")`,
    );
  }
  return style === 'html-comment' ? `<!-- ${marker} -->` : `[//]: # (${marker})`;
}

/**
 * The body to post: the rendered marker first (unless the body already holds it), cut to
 * `maxChars` with a note saying so.
 */
export function markedBody(renderedMarker: string, body: string, maxChars: number): string {
  const note = '\n\n… (cut to fit the host’s comment size limit)';
  if (body.includes(renderedMarker)) {
    const fitted = fitText(body, maxChars, note);
    // A marker late in a long body must not be cut off: the next push would not find it.
    if (fitted.includes(renderedMarker)) return fitted;
  }
  return fitText(`${renderedMarker}\n${body}`, maxChars, note);
}

/** `text` unchanged if it fits in `maxChars`, else its start followed by `note`. */
export function fitText(text: string, maxChars: number, note = '…'): string {
  if (text.length <= maxChars) return text;
  let end = Math.max(0, maxChars - note.length);
  // Never split a surrogate pair: half an emoji is not valid UTF-8 to send.
  if (end > 0 && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--;
  return text.slice(0, end) + note;
}

export function hasMarker(body: string, renderedMarker: string): boolean {
  return body.includes(renderedMarker);
}
