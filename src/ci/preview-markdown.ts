/**
 * The deployment preview as a section of the PR comment: a table with one row per deployment,
 * the settings each change touches, and the problems of deploy/*.yaml. Pure; cells are text,
 * escaped by renderTable, so names from user files cannot inject markup.
 */
import { formatSpecProblem, type SpecProblem } from '../core/errors.js';
import { escapeMarkdown, inlineCode, renderTable } from '../report/markdown-tables.js';
import type { BaseRevision } from './base-revision.js';
import { describeStrategy } from './describe-deployment.js';
import {
  formatTarget,
  type DeploymentPreview,
  type DeploymentPreviewEntry,
  type PreviewTarget,
} from './deployment-preview.js';

export interface PreviewSection {
  preview: DeploymentPreview;
  head: { commit: string | null; dirty: boolean };
  base: BaseRevision | null;
  /** Problems of the head's deploy/*.yaml: the controller would refuse those files. */
  problems: readonly SpecProblem[];
  /** Problems of the base's files: those deployments are left out of the comparison. */
  baseProblems: readonly SpecProblem[];
}

const CHANGE_LABELS: Record<DeploymentPreviewEntry['change'], string> = {
  new: '🆕 new',
  changed: '✏️ changed',
  removed: '🗑️ removed',
  unchanged: 'unchanged',
};

export function renderPreviewSection(section: PreviewSection): string {
  const parts = [`### Deployment preview\n\n${describeComparison(section)}`];
  const { entries } = section.preview;
  if (entries.length > 0) {
    parts.push(
      renderTable(
        [
          { header: 'Deployment' },
          { header: 'Change' },
          { header: 'Version' },
          { header: 'Strategy' },
          { header: 'What merging does' },
        ],
        entries.map((entry) => [
          entry.name,
          CHANGE_LABELS[entry.change],
          describeVersions(entry),
          entry.suspend ? 'suspended' : describeStrategy(entry.strategy),
          entry.rollout,
        ]),
      ),
    );
  } else if (section.problems.length === 0) {
    parts.push('No `deploy/*.yaml` at either revision: nothing is deployed.');
  }
  const changed = entries.filter((entry) => entry.differences.length > 0);
  if (changed.length > 0) parts.push(renderDifferences(changed));
  if (section.problems.length > 0) {
    parts.push(
      renderProblems(
        '❌ **deploy/ has problems**: the controller refuses these files until they are fixed.',
        section.problems,
      ),
    );
  }
  if (section.baseProblems.length > 0) {
    parts.push(
      renderProblems(
        "The base revision's deploy/ had problems; those files are left out of the comparison.",
        section.baseProblems,
      ),
    );
  }
  return parts.join('\n\n');
}

function describeComparison({ head, base }: PreviewSection): string {
  const headText = head.commit
    ? `${inlineCode(head.commit.slice(0, 12))}${head.dirty ? ' (with uncommitted changes)' : ''}`
    : 'the work tree';
  const scope =
    'computed from the specs and this registry alone, without asking any production server';
  if (!base)
    return `No base revision to compare with: every deployment of ${headText} is new (${scope}).`;
  const baseText = `${inlineCode(base.commit.slice(0, 12))} (${escapeMarkdown(base.label)})`;
  return `What merging ${headText} into ${baseText} would do to each ModelDeployment, ${scope}. “Unknown here” means this registry has no such version.`;
}

function describeVersions(entry: DeploymentPreviewEntry): string {
  const { from, to } = entry;
  if (entry.change === 'unchanged' && to) return describeTarget(to);
  return `${from ? describeTarget(from) : '—'} → ${to ? describeTarget(to) : '—'}`;
}

function describeTarget(target: PreviewTarget): string {
  const notes: string[] = [];
  if (target.version === null) notes.push('unknown here');
  else if (!target.selector.startsWith('version ')) notes.push(target.selector);
  if (target.builtByThisChange) notes.push('built by this change');
  return `${formatTarget(target)}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

function renderDifferences(entries: DeploymentPreviewEntry[]): string {
  const items = entries.map(
    (entry) =>
      `- **${escapeMarkdown(entry.name)}** (${inlineCode(entry.file)}): ${entry.differences.map(escapeMarkdown).join('; ')}`,
  );
  return `<details><summary>What changed in the specs</summary>\n\n${items.join('\n')}\n\n</details>`;
}

function renderProblems(title: string, problems: readonly SpecProblem[]): string {
  return [title, '', ...problems.map((p) => `- ${inlineCode(formatSpecProblem(p))}`)].join('\n');
}
