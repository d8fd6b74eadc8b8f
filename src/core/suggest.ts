import { distance } from 'fastest-levenshtein';

/** Names people bring from DVC or habit, mapped to weft's key. */
const KNOWN_ALIASES: Readonly<Record<string, string>> = {
  always_changed: 'alwaysRun',
  command: 'cmd',
  dependencies: 'deps',
  outputs: 'outs',
  parameters: 'params',
};

/** Case and separators rarely carry intent (`always_run` for `alwaysRun`), so compare without them. */
function foldName(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

/**
 * The candidate `word` was most likely meant as, or undefined when none is close enough to be a
 * useful hint (a far-fetched suggestion misleads more than none).
 */
export function suggestClosest(word: string, candidates: readonly string[]): string | undefined {
  const alias = KNOWN_ALIASES[word];
  if (alias !== undefined && candidates.includes(alias)) return alias;
  const folded = foldName(word);
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(folded, foldName(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const limit = Math.max(1, Math.floor(Math.max(folded.length, 1) / 3));
  return bestDistance <= limit ? best : undefined;
}

/** ` (did you mean "cmd"?)`, or an empty string when there is nothing to suggest. */
export function formatSuggestion(
  word: string,
  candidates: readonly string[],
  quote = true,
): string {
  const best = suggestClosest(word, candidates);
  if (best === undefined) return '';
  return quote ? ` (did you mean "${best}"?)` : ` (did you mean ${best}?)`;
}
