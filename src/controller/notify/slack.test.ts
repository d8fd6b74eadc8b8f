import { describe, expect, it } from 'vitest';
import type { ControllerEvent } from './event.js';
import { formatEventLine, renderSlackMessage } from './slack.js';

const rolledBack: ControllerEvent = {
  id: 'evt_1',
  type: 'RolledBack',
  severity: 'error',
  object: { kind: 'ModelDeployment', name: 'penguins' },
  reason: 'AnalysisFailed',
  revision: `main@sha1:${'c'.repeat(40)}`,
  message: 'canary failed 3 checks: p99 latency 120 ms > 50 ms',
  at: '2025-01-02T03:04:05.000Z',
  metadata: { canary: 'penguins@4', primary: 'penguins@3' },
};

describe('renderSlackMessage', () => {
  it('renders an incoming-webhook payload: one-line text plus section and context blocks', () => {
    const line = `:rotating_light: *RolledBack* ModelDeployment/penguins at main@sha1:${'c'.repeat(40)}: canary failed 3 checks: p99 latency 120 ms &gt; 50 ms`;
    expect(renderSlackMessage(rolledBack)).toEqual({
      text: line,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: line } },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: '2025-01-02T03:04:05.000Z · reason: AnalysisFailed · canary: penguins@4 · primary: penguins@3',
            },
          ],
        },
      ],
    });
  });

  it.each([
    ['info', ':white_check_mark:'],
    ['warning', ':warning:'],
    ['error', ':rotating_light:'],
  ] as const)('marks %s events with %s', (severity, emoji) => {
    expect(formatEventLine({ ...rolledBack, severity }).startsWith(`${emoji} `)).toBe(true);
  });

  it('keeps untrusted text from pinging or linking, and on one line', () => {
    const line = formatEventLine({
      ...rolledBack,
      message: 'bad <!channel> & <http://x|y>\n  next',
    });
    expect(line).toContain('bad &lt;!channel&gt; &amp; &lt;http://x|y&gt; next');
    expect(line).not.toMatch(/[<>\n]/);
  });

  it('leaves out the revision when there is none and stays within Slack limits', () => {
    const line = formatEventLine({ ...rolledBack, revision: undefined, message: 'x'.repeat(5000) });
    expect(line).toMatch(/^:rotating_light: \*RolledBack\* ModelDeployment\/penguins: x+…$/);
    expect(line.length).toBe(3000);
  });
});
