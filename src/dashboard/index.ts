/** The web dashboard: a browser app (client/) and the routes that serve it (server/). */
export { DASHBOARD_PATH, registerDashboardRoutes, type DashboardOptions } from './server/routes.js';
