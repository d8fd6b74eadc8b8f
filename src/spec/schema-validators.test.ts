import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadValidatorGenerator } from './validator-generator.testing.js';

const project = new URL('../../', import.meta.url);

describe('src/spec/generated (schema validators compiled ahead of time)', () => {
  it('matches what the generator makes of the current schemas', async () => {
    const { GENERATE_COMMAND, renderValidators } = await loadValidatorGenerator();
    const files = Object.entries(renderValidators());
    expect(files.length).toBeGreaterThan(0);
    for (const [path, text] of files) {
      const url = new URL(path, project);
      const committed = existsSync(url) ? readFileSync(url, 'utf8') : '(missing)';
      expect(committed, `${path} is stale: run ${GENERATE_COMMAND}`).toBe(text);
    }
  });
});
