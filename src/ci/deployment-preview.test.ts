import { describe, expect, it } from 'vitest';
import { digestOf } from '../registry/metadata-store.fixtures.js';
import { parseDeployment } from '../spec/deployment.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';
import {
  previewDeployments,
  type BuiltModel,
  type DeploymentPreviewEntry,
  type TargetLookup,
} from './deployment-preview.js';

function deployment(name: string, model: string, extra = ''): ResolvedDeployment {
  return parseDeployment(
    `apiVersion: weft.dev/v1\nkind: ModelDeployment\nmetadata: { name: ${name} }\nspec:\n  model: { name: penguins, ${model} }\n${extra}`,
    `deploy/${name}.yaml`,
  );
}

const found = (version: number): TargetLookup => ({
  found: true,
  version,
  digest: digestOf(`v${version}`),
});
const UNKNOWN: TargetLookup = { found: false };
const CANARY = '  strategy: { type: canary, canary: { steps: [25, 100], interval: 30s } }\n';
const BUILT_2: BuiltModel = {
  name: 'penguins',
  version: 2,
  digest: digestOf('v2'),
  gatesPassed: true,
};

interface Case {
  name: string;
  base: ResolvedDeployment | null;
  head: ResolvedDeployment | null;
  baseTarget?: TargetLookup;
  headTarget?: TargetLookup;
  built?: BuiltModel | null;
  /** Set on the head's spec after parsing: a setting newer than the preview. */
  extraSetting?: Record<string, unknown>;
  expected: Partial<DeploymentPreviewEntry>;
}

const cases: Case[] = [
  {
    name: 'a new deployment is rolled out at once, whatever its strategy',
    base: null,
    head: deployment('web', 'version: 2', CANARY),
    headTarget: found(2),
    built: BUILT_2,
    expected: {
      change: 'new',
      from: null,
      to: {
        model: 'penguins',
        selector: 'version 2',
        version: 2,
        digest: digestOf('v2'),
        builtByThisChange: true,
      },
      differences: [],
      rollout:
        'First rollout: loads penguins@2 and sends it all traffic (the canary strategy applies to the versions after it).',
    },
  },
  {
    name: 'a version bump with replace swaps the versions',
    base: deployment('web', 'version: 1'),
    head: deployment('web', 'version: 2'),
    baseTarget: found(1),
    headTarget: found(2),
    built: BUILT_2,
    expected: {
      change: 'changed',
      differences: ['model version: version 1 → version 2'],
      rollout: 'Replace: loads penguins@2, moves all traffic to it, then unloads penguins@1.',
    },
  },
  {
    name: 'a version bump with canary steps the traffic',
    base: deployment('web', 'version: 1', CANARY),
    head: deployment('web', 'version: 2', CANARY),
    baseTarget: found(1),
    headTarget: found(2),
    expected: {
      change: 'changed',
      rollout:
        'Canary: loads penguins@2 beside penguins@1 and steps its traffic 25% → 100%, one step every 30s after an analysis of its live evidence; 2 failed analyses roll it back to penguins@1.',
    },
  },
  {
    name: 'a strategy change alone rolls nothing out',
    base: deployment('web', 'version: 1'),
    head: deployment('web', 'version: 1', CANARY),
    baseTarget: found(1),
    headTarget: found(1),
    expected: {
      change: 'changed',
      differences: [
        'strategy: replace → canary 25% → 100% every 30s, rollback after 2 failed analyses',
      ],
      rollout: 'No rollout: keeps serving penguins@1; the new settings apply to the next rollout.',
    },
  },
  {
    name: 'an alias is resolved in the local registry',
    base: deployment('web', 'version: 1'),
    head: deployment('web', 'alias: production', '  strategy: { type: bluegreen }\n'),
    baseTarget: found(1),
    headTarget: found(3),
    expected: {
      change: 'changed',
      to: {
        model: 'penguins',
        selector: 'alias production',
        version: 3,
        digest: digestOf('v3'),
        builtByThisChange: false,
      },
      rollout:
        'Blue-green: moves all traffic to penguins@3 at once and keeps penguins@1 loaded for 10m, analysed every 1m; 2 failed analyses move traffic back to penguins@1.',
    },
  },
  {
    name: 'a version this registry does not know is said to be unknown here',
    base: deployment('web', 'version: 1'),
    head: deployment('web', 'alias: staging'),
    baseTarget: found(1),
    headTarget: UNKNOWN,
    expected: {
      change: 'changed',
      rollout:
        'penguins alias staging is unknown here; the controller rolls it out if its registry has it, else the deployment stalls until a revision names a version it has.',
    },
  },
  {
    name: 'what the base serves may be unknown here too',
    base: deployment('web', 'version: 7'),
    head: deployment('web', 'version: 2', '  strategy: { type: shadow }\n'),
    baseTarget: UNKNOWN,
    headTarget: found(2),
    expected: {
      rollout:
        'Shadow: loads penguins@2 as the shadow of the version serving now (a copy of every request, no answers) for 10m, then promotes it if it agreed with the version serving now at least 98% of the time, else drops it. The base asks for version 7, unknown here.',
    },
  },
  {
    name: 'a setting the preview has no words for is still told, as JSON',
    base: deployment('web', 'version: 1'),
    head: { ...deployment('web', 'version: 1'), generation: digestOf('another spec') },
    baseTarget: found(1),
    headTarget: found(1),
    extraSetting: { retrain: { cooldownMs: 3_600_000 } },
    expected: {
      change: 'changed',
      differences: ['retrain: none → {"cooldownMs":3600000}'],
    },
  },
  {
    name: 'a removed deployment is no longer reconciled',
    base: deployment('web', 'version: 1'),
    head: null,
    baseTarget: found(1),
    expected: {
      change: 'removed',
      to: null,
      rollout:
        'No longer reconciled: the controller stops managing it and leaves what it serves loaded.',
    },
  },
  {
    name: 'an unchanged deployment keeps serving its version',
    base: deployment('web', 'version: 1'),
    head: deployment('web', 'version: 1'),
    baseTarget: found(1),
    headTarget: found(1),
    built: BUILT_2,
    expected: {
      change: 'unchanged',
      differences: [],
      rollout: 'No change: keeps serving penguins@1.',
    },
  },
  {
    name: 'a suspended deployment rolls nothing out, even with a new version',
    base: deployment('web', 'version: 1'),
    head: deployment('web', 'version: 2', '  suspend: true\n'),
    baseTarget: found(1),
    headTarget: found(2),
    expected: {
      change: 'changed',
      suspend: true,
      differences: ['model version: version 1 → version 2', 'suspend: false → true'],
      rollout: 'Suspended: the controller leaves the live state as it is; nothing rolls out.',
    },
  },
  {
    name: 'resuming a suspended deployment says so before the rollout',
    base: deployment('web', 'version: 1', '  suspend: true\n'),
    head: deployment('web', 'version: 2'),
    baseTarget: found(1),
    headTarget: found(2),
    expected: {
      rollout:
        'Resumes reconciliation. Replace: loads penguins@2, moves all traffic to it, then unloads penguins@1.',
    },
  },
  {
    name: 'a followed branch moves to the version this change built once it passed its gates',
    base: deployment('web', 'version: 1, follow: { branch: main }'),
    head: deployment('web', 'version: 1, follow: { branch: main }'),
    baseTarget: found(1),
    headTarget: found(1),
    built: BUILT_2,
    expected: {
      change: 'unchanged',
      follow: { branch: 'main', passedGates: true },
      rollout:
        'No change: keeps serving penguins@1. Follows main: once merged, the controller commits penguins@2 (built by this change) into deploy/web.yaml and rolls it out.',
    },
  },
  {
    name: 'a followed branch does not move to a version that failed its gates',
    base: deployment('web', 'version: 1, follow: { branch: main }'),
    head: deployment('web', 'version: 1, follow: { branch: main }'),
    baseTarget: found(1),
    headTarget: found(1),
    built: { ...BUILT_2, gatesPassed: false },
    expected: {
      rollout:
        'No change: keeps serving penguins@1. Follows main: penguins@2 (built by this change) failed its gates, so the controller will not move to it.',
    },
  },
];

describe('previewDeployments', () => {
  it.each(cases)('$name', (c) => {
    const { entries } = previewDeployments({
      base: c.base ? [c.base] : [],
      head: c.head ? [{ ...c.head, spec: { ...c.head.spec, ...c.extraSetting } }] : [],
      baseTargets: new Map(c.baseTarget ? [['web', c.baseTarget]] : []),
      headTargets: new Map(c.headTarget ? [['web', c.headTarget]] : []),
      built: c.built ?? null,
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ name: 'web', file: 'deploy/web.yaml', ...c.expected });
  });

  it('treats every deployment as new without a base revision, and sorts by name', () => {
    const { entries } = previewDeployments({
      base: null,
      head: [deployment('zeta', 'version: 1'), deployment('alpha', 'version: 1')],
      baseTargets: new Map(),
      headTargets: new Map([['alpha', found(1)]]),
      built: null,
    });
    expect(entries.map((e) => [e.name, e.change, e.to?.version ?? null])).toEqual([
      ['alpha', 'new', 1],
      ['zeta', 'new', null],
    ]);
  });

  it('marks the target built by this change only when its digest is the built one', () => {
    const { entries } = previewDeployments({
      base: [deployment('web', 'version: 1')],
      head: [deployment('web', 'version: 2')],
      baseTargets: new Map([['web', found(1)]]),
      headTargets: new Map([['web', found(2)]]),
      built: { ...BUILT_2, digest: digestOf('another model') },
    });
    expect(entries[0]?.to?.builtByThisChange).toBe(false);
    expect(entries[0]?.from?.builtByThisChange).toBe(false);
  });
});
