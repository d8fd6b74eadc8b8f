import type { DashboardManifest } from './assets.js';

/**
 * The Content-Security-Policy of the dashboard's pages: scripts and styles only from this
 * server's own files (no inline code at all), data only from its API, no framing.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The page every route of the dashboard starts from: it loads the app, which asks the API for
 * the session and shows the sign-in form or the page the hash names. Asset URLs are relative,
 * so the dashboard works under a proxy's path prefix too.
 */
export function renderShell(manifest: DashboardManifest, version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="weft ${escapeHtml(version)}">
<title>weft</title>
<link rel="icon" href="data:,">
${manifest.css ? `<link rel="stylesheet" href="assets/${escapeHtml(manifest.css)}">\n` : ''}<script type="module" src="assets/${escapeHtml(manifest.js)}"></script>
</head>
<body>
<div id="app"><p>Loading weft…</p></div>
<noscript><p>The weft dashboard needs JavaScript. Everything it shows is also in the API: see <a href="../api/v1/openapi.json">/api/v1/openapi.json</a>.</p></noscript>
</body>
</html>
`;
}

/** What a server whose dashboard was never built answers, instead of a blank page. */
export function renderNotBuilt(assetsDir: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>weft: dashboard not built</title></head>
<body>
<h1>The weft dashboard is not built</h1>
<p>This server found no <code>${escapeHtml(assetsDir)}/manifest.json</code>. Build it with
<code>npm run build</code> (or <code>node scripts/build.mjs</code>) in the weft checkout, then reload.</p>
<p>The API answers meanwhile: <a href="../api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body>
</html>
`;
}
