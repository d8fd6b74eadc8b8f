import type { Command } from 'commander';
import { openStore } from '../../app/open.js';
import { WeftError } from '../../core/errors.js';
import { openMetadataStore } from '../../registry/index.js';
import { readRemoteUrl } from '../../source/git.js';
import { resolveCommandConfig } from '../context.js';
import { formatDuration, printLine, waitForSignal } from '../output.js';

interface UpFlags {
  source?: string;
  branch: string;
  interval: string;
  host: string;
  port: string;
  server?: string;
  commitStatus?: boolean | string;
  logLevel: string;
}

export function registerUp(program: Command): void {
  program
    .command('up')
    .description(
      'run the whole loop on this machine: watch a Git repo, build and validate each revision, serve what deploy/*.yaml declares',
    )
    .option('--source <path-or-url>', 'Git repository to watch (default: this one)')
    .option('--branch <name>', 'branch to follow', 'main')
    .option('--interval <duration>', 'how often to poll the source (e.g. 30s, 5m)', '30s')
    .option('--host <host>', 'address of the model server and webhook receiver', '127.0.0.1')
    .option('-p, --port <port>', 'port (0: any free one)', '8080')
    .option(
      '--server <url>',
      'drive a running `weft serve` over HTTP instead of serving in this process (models keep serving while weft up restarts)',
    )
    .option(
      '--commit-status [host]',
      'set a commit status (weft/deploy/NAME) on the Git host (github, gitlab, bitbucket; default: from the origin URL) when a revision is applied, rolled out or rolled back; token from GITHUB_TOKEN, GITLAB_TOKEN or BITBUCKET_TOKEN',
    )
    .option('--log-level <level>', 'pino level', 'warn')
    .action(async (flags: UpFlags, command: Command) => {
      const config = resolveCommandConfig(command);
      const { parseDuration } = await import('../../spec/deployment-duration.js');
      const intervalMs = parseDuration(flags.interval);
      if (intervalMs === undefined) {
        throw new WeftError(
          'USAGE',
          `--interval: expected a duration such as 30s or 5m, got "${flags.interval}"`,
        );
      }
      const { notifyTargetsFromEnv, startUp } = await import('../../app/up.js');
      const started = Date.now();
      const up = await startUp({
        config,
        url: flags.source ?? config.root,
        branch: flags.branch,
        intervalMs,
        host: flags.host,
        port: Number(flags.port),
        ...(flags.server ? { serverUrl: flags.server } : {}),
        ...(process.env.WEFT_TOKEN ? { serverToken: process.env.WEFT_TOKEN } : {}),
        logLevel: flags.logLevel,
        webhookSecret: process.env.WEFT_WEBHOOK_SECRET,
        notify: notifyTargetsFromEnv(process.env),
        ...(flags.commitStatus
          ? {
              commitStatus: await createCommitStatusReporter(
                flags.commitStatus,
                flags.source ?? (await readRemoteUrl(config.root)),
              ),
            }
          : {}),
        metadata: await openMetadataStore(config.metadata),
        store: await openStore(config),
        onEvent: (event) =>
          printLine(
            `[${formatDuration(Date.now() - started).padStart(6)}] ${event.type}: ${event.object.kind}/${event.object.name}: ${event.message}`,
          ),
      });
      const serving = flags.server
        ? `driving the model server at ${flags.server}, listening at ${up.address}`
        : `serving at ${up.address}`;
      printLine(
        `weft up: ${serving}, watching ${flags.source ?? config.root} (${flags.branch}) every ${flags.interval}`,
      );
      printLine(
        `dashboard: ${up.dashboardUrl} (sign in with a token: weft token create NAME --scope read)`,
      );
      if (up.webhookPaths.length)
        printLine(`webhooks: ${up.webhookPaths.map((p) => `${up.address}${p}`).join(', ')}`);
      await waitForSignal();
      printLine('weft up: stopping (finishing requests in flight)');
      await up.stop();
    });
}

/** `--commit-status [host]`: a reporter for the host named, or the one the origin URL is on. */
async function createCommitStatusReporter(host: true | string, originUrl: string | undefined) {
  const { HOST_ENVIRONMENTS, reporterFromEnvironment } = await import('../../git-hosts/index.js');
  const hosts = Object.keys(HOST_ENVIRONMENTS);
  const named = hosts.find((h) => h === host) as keyof typeof HOST_ENVIRONMENTS | undefined;
  if (host !== true && !named) {
    throw new WeftError(
      'USAGE',
      `--commit-status: expected one of ${hosts.join(', ')}, got "${host}"`,
    );
  }
  return reporterFromEnvironment(process.env, {
    ...(named ? { host: named } : {}),
    ...(originUrl ? { originUrl } : {}),
  });
}
