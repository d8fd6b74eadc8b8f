import type { Command } from 'commander';
import { WeftError } from '../../core/errors.js';
import { resolveCommandConfig } from '../context.js';
import { printLine, waitForSignal } from '../output.js';

interface DashboardFlags {
  host: string;
  port: string;
  logLevel: string;
}

/** `weft dashboard`: the web dashboard and the API over this workspace, without a controller. */
export function registerDashboard(program: Command): void {
  program
    .command('dashboard')
    .description(
      'serve the web dashboard and the API (/api/v1) over this workspace’s runs, models, deployments and audit log (no controller: weft up serves both too)',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('-p, --port <port>', 'port (0: any free one)', '8080')
    .option('--log-level <level>', 'pino level', 'warn')
    .action(async (flags: DashboardFlags, command: Command) => {
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new WeftError('USAGE', `--port must be a port number (0-65535), got "${flags.port}"`);
      }
      const { startDashboard } = await import('../../app/dashboard.js');
      const dashboard = await startDashboard({
        config: resolveCommandConfig(command),
        host: flags.host,
        port,
        logLevel: flags.logLevel,
      });
      printLine(`weft dashboard: ${dashboard.url}`);
      if (!dashboard.hasTokens) {
        printLine(
          'no API token yet: create one to sign in with `weft token create NAME --scope read`',
        );
      }
      await waitForSignal();
      printLine('weft dashboard: stopping');
      await dashboard.stop();
    });
}
