/** How numbers, times and ids read on every page. */

export const NONE = '—';

/** 4 significant digits, trailing zeros dropped; null and non-finite values as a dash. */
export function formatNumber(value: number | null | undefined, digits = 4): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  return String(Number(value.toPrecision(digits)));
}

export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return NONE;
  return `${Number((rate * 100).toPrecision(3))}%`;
}

/** `2026-11-27 14:03:09`, in the viewer's time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return NONE;
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/** `sha256:675d2675083a`: enough of a digest to tell versions apart. */
export function shortDigest(digest: string): string {
  return digest.startsWith('sha256:') ? digest.slice(0, 19) : digest.slice(0, 12);
}

export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : NONE;
}

/** `main@sha1:2d84e31...` -> the ref and the commit; null for anything else. */
export function parseRevision(
  revision: string | null | undefined,
): { ref: string; sha: string } | null {
  const match = /^(.*)@sha1:([0-9a-f]{7,40})$/i.exec(revision ?? '');
  return match ? { ref: match[1] ?? '', sha: match[2] ?? '' } : null;
}

export function describeRevision(revision: string | null | undefined): string {
  const parsed = parseRevision(revision);
  if (parsed) return `${parsed.ref}@${shortSha(parsed.sha)}`;
  return revision ?? NONE;
}

/** A JSON value in one line, for audit entries' before and after. */
export function formatJson(value: unknown, maxLength = 160): string {
  if (value === null || value === undefined) return NONE;
  const text = JSON.stringify(value);
  return text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text;
}
