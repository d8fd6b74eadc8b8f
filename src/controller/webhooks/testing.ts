/**
 * Test helpers for the webhook receivers: published example payloads as the bytes a host would
 * send. Not part of the product.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** A documented GitLab or Bitbucket payload from `fixtures/` (sources in its README). */
export function readFixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

interface OctokitDefinition {
  name: string;
  examples: Array<Record<string, unknown>>;
}

/** The example payloads `@octokit/webhooks-examples` publishes for one GitHub event. */
export function octokitExamples(event: string): Array<Record<string, unknown>> {
  const require = createRequire(import.meta.url);
  const definitions = require('@octokit/webhooks-examples') as OctokitDefinition[];
  const definition = definitions.find((d) => d.name === event);
  if (!definition) throw new Error(`@octokit/webhooks-examples has no "${event}" event`);
  return definition.examples;
}

/** The first octokit example of `event` that `matches`, serialised as GitHub sends it. */
export function octokitPayload(
  event: string,
  matches: (example: Record<string, unknown>) => boolean = () => true,
): Buffer {
  const example = octokitExamples(event).find(matches);
  if (!example) throw new Error(`no matching "${event}" example in @octokit/webhooks-examples`);
  return Buffer.from(JSON.stringify(example));
}
