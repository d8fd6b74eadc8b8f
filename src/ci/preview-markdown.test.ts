import { describe, expect, it } from 'vitest';
import { digestOf } from '../registry/metadata-store.fixtures.js';
import { parseDeployment } from '../spec/deployment.js';
import { previewDeployments, type TargetLookup } from './deployment-preview.js';
import { renderPreviewSection, type PreviewSection } from './preview-markdown.js';

const HEAD = 'a'.repeat(40);
const BASE = { commit: 'b'.repeat(40), label: 'merge-base with origin/main' };

function deployment(name: string, spec: string) {
  return parseDeployment(
    `apiVersion: weft.dev/v1\nkind: ModelDeployment\nmetadata: { name: ${name} }\nspec:\n${spec}`,
    `deploy/${name}.yaml`,
  );
}

const found = (version: number): TargetLookup => ({
  found: true,
  version,
  digest: digestOf(`v${version}`),
});

function section(overrides: Partial<PreviewSection> = {}): PreviewSection {
  const base = [deployment('web', '  model: { name: penguins, version: 1 }\n')];
  const head = [
    deployment(
      'web',
      '  model: { name: penguins, version: 2 }\n  runtime: { kind: external, command: ["serve", "<img src=x>", "a|b"] }\n',
    ),
    deployment('batch', '  model: { name: penguins, alias: production }\n'),
  ];
  return {
    preview: previewDeployments({
      base,
      head,
      baseTargets: new Map([['web', found(1)]]),
      headTargets: new Map([
        ['web', found(2)],
        ['batch', found(1)],
      ]),
      built: { name: 'penguins', version: 2, digest: digestOf('v2'), gatesPassed: true },
    }),
    head: { commit: HEAD, dirty: false },
    base: BASE,
    problems: [],
    baseProblems: [],
    ...overrides,
  };
}

describe('renderPreviewSection', () => {
  it('renders one row per deployment with versions, strategy and what merging does', () => {
    const markdown = renderPreviewSection(section());
    expect(markdown).toContain(
      'What merging `aaaaaaaaaaaa` into `bbbbbbbbbbbb` (merge-base with origin/main) would do',
    );
    expect(markdown).toContain(
      '| batch | 🆕 new | — → penguins@1 (alias production) | replace | First rollout: loads penguins@1 and sends it all traffic. |',
    );
    expect(markdown).toContain(
      '| web | ✏️ changed | penguins@1 → penguins@2 (built by this change) | replace | Replace: loads penguins@2, moves all traffic to it, then unloads penguins@1. |',
    );
  });

  it('escapes what deploy files say, so a spec cannot inject markup into the comment', () => {
    const markdown = renderPreviewSection(section());
    expect(markdown).toContain('runtime: onnx → external (serve &lt;img src=x&gt; a\\|b)');
    expect(markdown).not.toContain('<img');
  });

  it('lists the problems of deploy/ with file:line:col', () => {
    const problem = {
      file: 'deploy/x.yaml',
      line: 5,
      col: 3,
      key: 'spec.strategy',
      message: 'bad',
    };
    const markdown = renderPreviewSection(
      section({ problems: [problem], baseProblems: [problem] }),
    );
    expect(markdown).toContain(
      '❌ **deploy/ has problems**: the controller refuses these files until they are fixed.\n\n- `deploy/x.yaml:5:3: spec.strategy: bad`',
    );
    expect(markdown).toContain("The base revision's deploy/ had problems");
  });

  it('says when there is no base, and when there is nothing to deploy', () => {
    const none = renderPreviewSection(
      section({ base: null, preview: { entries: [] }, head: { commit: HEAD, dirty: true } }),
    );
    expect(none).toContain(
      'No base revision to compare with: every deployment of `aaaaaaaaaaaa` (with uncommitted changes) is new',
    );
    expect(none).toContain('No `deploy/*.yaml` at either revision: nothing is deployed.');
  });
});
