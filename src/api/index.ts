/** The control-plane API: JSON over HTTP under /api/v1, used by the CLI (--remote) and the dashboard. */
export { registerApiRoutes } from './routes.js';
export { API_PREFIX } from './prefix.js';
export { ApiClient, type ApiClientOptions } from './client.js';
export type { ApiControllerHooks, ApiDeps, ApiLiveServer } from './context.js';
export { assertSafeBind, isLoopbackHost } from './bind.js';
export { servingManagementHooks } from './serving-guard.js';
export {
  createToken,
  describeTakenName,
  hasScope,
  hasUsableTokens,
  TOKEN_SCOPES,
  type TokenInfo,
} from './tokens.js';
export type { Page } from './pagination.js';
