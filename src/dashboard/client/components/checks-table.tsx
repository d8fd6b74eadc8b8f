import type { AnalysisCheck } from '../api/types.js';
import { describeRequirement } from '../model/checks.js';
import { formatNumber } from '../model/format.js';
import { Verdict } from './ui.js';

/** A rollout analysis: each check's measured value against what it needed. */
export function ChecksTable({
  checks,
  caption,
}: {
  checks: readonly AnalysisCheck[];
  caption: string;
}) {
  if (checks.length === 0) return <p class="muted">{caption}: no checks recorded yet.</p>;
  return (
    <table class="data checks">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Check</th>
          <th scope="col">Value</th>
          <th scope="col">Needed</th>
          <th scope="col">Verdict</th>
        </tr>
      </thead>
      <tbody>
        {checks.map((check) => (
          <tr key={check.name} class={check.passed ? '' : 'failed-row'} data-check={check.name}>
            <th scope="row">{check.name}</th>
            <td class="num">{formatNumber(check.value)}</td>
            <td class="num">{describeRequirement(check)}</td>
            <td>
              <Verdict passed={check.passed} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
