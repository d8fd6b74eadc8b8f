/**
 * An event as a Slack incoming-webhook message (also accepted by Mattermost and Rocket.Chat):
 * `text` is the one-line fallback that notifications show, `blocks` the same line as mrkdwn plus
 * a context line with when and what else is known.
 */
import type { ControllerEvent, EventSeverity } from './event.js';

export interface SlackTextObject {
  type: 'mrkdwn';
  text: string;
}

export type SlackBlock =
  { type: 'section'; text: SlackTextObject } | { type: 'context'; elements: SlackTextObject[] };

export interface SlackMessage {
  text: string;
  blocks?: SlackBlock[];
}

const SEVERITY_EMOJI: Readonly<Record<EventSeverity, string>> = {
  info: ':white_check_mark:',
  warning: ':warning:',
  error: ':rotating_light:',
};

/** Slack caps a section's text at 3000 characters; the rest would make the message fail. */
const SECTION_TEXT_LIMIT = 3000;

/**
 * Slack reads `&`, `<` and `>` as markup (`<!channel>` pings everyone), and commit messages or
 * model names are not ours to trust; newlines would break the one-line rendering.
 */
function escapeSlack(text: string): string {
  return text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** e.g. `:rotating_light: *RolledBack* ModelDeployment/penguins at main@sha1:…: canary failed` */
export function formatEventLine(event: ControllerEvent): string {
  const subject = `${event.object.kind}/${event.object.name}`;
  const revision = event.revision ? ` at ${event.revision}` : '';
  const line = `${SEVERITY_EMOJI[event.severity]} *${event.type}* ${subject}${revision}: ${event.message}`;
  return truncate(escapeSlack(line), SECTION_TEXT_LIMIT);
}

function formatContext(event: ControllerEvent): string {
  const details = Object.entries({ reason: event.reason, ...event.metadata })
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([key, value]) => `${key}: ${value}`);
  return truncate(escapeSlack([event.at, ...details].join(' · ')), SECTION_TEXT_LIMIT);
}

export function renderSlackMessage(event: ControllerEvent): SlackMessage {
  const line = formatEventLine(event);
  return {
    text: line,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: line } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: formatContext(event) }] },
    ],
  };
}
