import type { Command } from 'commander';
import { withMetadata } from '../../app/open.js';
import { WeftError } from '../../core/errors.js';
import type { TokenScope } from '../../registry/types.js';
import { resolveActor, resolveCommandConfig } from '../context.js';
import { formatTable, printJson, printLine } from '../output.js';

const describeTime = (at: Date | null): string =>
  at === null ? '-' : at.toISOString().slice(0, 19).replace('T', ' ');

/** `weft token create|list|revoke`: tokens of the control-plane API, kept in this workspace's store. */
export function registerToken(program: Command): void {
  const token = program
    .command('token')
    .description('tokens of the control-plane API (/api/v1): read < deploy < admin');

  token
    .command('create')
    .description('create a token and print its secret (shown this once; only its hash is kept)')
    .argument('<name>', 'recorded as the actor of everything done with the token')
    .option('--scope <scope>', 'read | deploy | admin', 'read')
    .option('--json', 'print JSON')
    .action(async (name: string, flags: { scope: string; json?: boolean }, command: Command) => {
      const { createToken, describeTakenName, isTokenScope } = await import('../../api/tokens.js');
      if (!isTokenScope(flags.scope)) {
        throw new WeftError(
          'USAGE',
          `--scope: expected read, deploy or admin, got "${flags.scope}"`,
        );
      }
      const scope: TokenScope = flags.scope;
      const config = resolveCommandConfig(command);
      const actor = await resolveActor(config);
      const created = await withMetadata(config, (m) =>
        createToken(m, { name, scope, actor, at: new Date() }),
      );
      if (created === undefined) throw new WeftError('USAGE', describeTakenName(name));
      if (flags.json) return printJson(created);
      printLine(created.secret);
      process.stderr.write(
        `token ${name} (${scope}) created: the secret above is shown once; send it as "Authorization: Bearer <secret>" or set WEFT_TOKEN\n`,
      );
    });

  token
    .command('list')
    .description('every token with its scope and last use (never the secrets)')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }, command: Command) => {
      const { describeToken } = await import('../../api/tokens.js');
      const tokens = (
        await withMetadata(resolveCommandConfig(command), (m) => m.listApiTokens())
      ).map(describeToken);
      if (flags.json) return printJson(tokens);
      if (tokens.length === 0) return printLine('no tokens: `weft token create NAME --scope read`');
      printLine(
        formatTable([
          ['name', 'scope', 'created', 'last used', 'revoked'],
          ...tokens.map((t) => [
            t.name,
            t.scope,
            describeTime(t.createdAt),
            describeTime(t.lastUsedAt),
            describeTime(t.revokedAt),
          ]),
        ]),
      );
    });

  token
    .command('revoke')
    .description('revoke a token: it stops working at once (its name stays taken)')
    .argument('<name>')
    .action(async (name: string, _flags: object, command: Command) => {
      const config = resolveCommandConfig(command);
      const actor = await resolveActor(config);
      const revoked = await withMetadata(config, (m) =>
        m.revokeApiToken(name, { actor, at: new Date() }),
      );
      if (revoked === undefined) {
        throw new WeftError(
          'NOT_FOUND',
          `failed to revoke token ${name}: no unrevoked token has that name`,
        );
      }
      printLine(`token ${name} revoked`);
    });
}
