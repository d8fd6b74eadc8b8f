import type { Command } from 'commander';
import { withMetadata } from '../../app/open.js';
import { WeftError } from '../../core/errors.js';
import type { MetadataStore, ModelVersion } from '../../registry/types.js';
import { resolveActor, resolveCommandConfig } from '../context.js';
import { findModelVersion } from '../model-ref.js';
import { formatTable, printJson, printLine } from '../output.js';
import { readRemote, REMOTE_OPTION_HELP } from '../remote.js';

interface JsonFlag {
  json?: boolean;
}

interface ReadFlags extends JsonFlag {
  remote?: string;
}

export function registerModels(program: Command): void {
  const models = program
    .command('models')
    .description('the model registry: versions registered by runs, and aliases');
  models
    .command('list', { isDefault: true })
    .description('every model with its latest version and aliases (the default)')
    .option('--json', 'print JSON')
    .option('--remote <url>', REMOTE_OPTION_HELP)
    .action(async (flags: ReadFlags, command: Command) => {
      const summaries = flags.remote
        ? await readRemote(flags.remote, (client, cursor) =>
            client.listModels({ limit: 500, cursor }),
          )
        : await withMetadata(resolveCommandConfig(command), (m) => m.listModels());
      if (flags.json) return printJson({ models: summaries });
      if (summaries.length === 0) {
        return printLine('No models yet: a pipeline with spec.model registers one on `weft run`.');
      }
      printLine(
        formatTable([
          ['NAME', 'LATEST', 'VERSIONS', 'ALIASES'],
          ...summaries.map((s) => [
            s.name,
            String(s.latestVersion),
            String(s.versionCount),
            Object.entries(s.aliases)
              .map(([alias, version]) => `${alias}=${version}`)
              .join(' ') || '-',
          ]),
        ]),
      );
    });

  models
    .command('versions')
    .description('list the versions of a model, newest first')
    .argument('<name>')
    .option('--json', 'print JSON')
    .option('--remote <url>', REMOTE_OPTION_HELP)
    .action(async (name: string, flags: ReadFlags, command: Command) => {
      const versions = flags.remote
        ? await readRemote(flags.remote, (client, cursor) =>
            client.listModelVersions(name, { limit: 500, cursor }),
          )
        : await withMetadata(resolveCommandConfig(command), (m) => m.listModelVersions(name));
      if (flags.json) return printJson({ versions });
      printLine(
        formatTable([
          ['VERSION', 'DIGEST', 'RUN', 'COMMIT', 'CREATED', 'ALIASES'],
          ...versions.map((v) => [
            String(v.version),
            v.digest.slice(0, 19),
            String(v.runId),
            v.commit?.slice(0, 10) ?? '-',
            v.createdAt.toISOString().slice(0, 19).replace('T', ' '),
            v.aliases.join(' ') || '-',
          ]),
        ]),
      );
    });

  models
    .command('show')
    .description('show a version: NAME (latest), NAME@VERSION, NAME:ALIAS or NAME@sha256:...')
    .argument('<ref>')
    .option('--json', 'print JSON')
    .action(async (text: string, flags: JsonFlag, command: Command) => {
      const { version, checks } = await withMetadata(resolveCommandConfig(command), async (m) => {
        const found = await findModelVersion(m, text);
        const all = await m.listModelChecks(found.name, found.version, { limit: 20 });
        // The results themselves are large; `weft evaluate --json` and `weft report` show them.
        return { version: found, checks: all.map(({ result: _, ...check }) => check) };
      });
      if (flags.json) return printJson({ ...version, checks });
      printVersion(version);
      for (const c of checks) {
        const verdict = c.passed === null ? '' : c.passed ? ' passed' : ' FAILED';
        printLine(
          `  ${c.kind.padEnd(10)} ${c.createdAt.toISOString().slice(0, 19).replace('T', ' ')}${verdict} on ${c.datasetPath} by ${c.actor}`,
        );
      }
    });

  registerAliasCommands(models);
}

function registerAliasCommands(models: Command): void {
  const alias = models
    .command('alias')
    .description('point aliases at versions; every move is recorded');
  alias
    .command('set')
    .argument('<name>')
    .argument('<alias>')
    .argument('<version>')
    .option('-m, --reason <text>', 'why (kept in the alias history)', '')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        aliasName: string,
        version: string,
        flags: AliasFlags,
        command: Command,
      ) => {
        const number = Number(version);
        if (!Number.isInteger(number) || number < 1) {
          throw new WeftError('USAGE', `failed to set alias: "${version}" is not a version number`);
        }
        const event = await changeAlias(command, flags, (m, change) =>
          m.setAlias(name, aliasName, number, change),
        );
        if (flags.json) return printJson(event);
        const from = event.previousVersion === null ? '' : ` (was ${event.previousVersion})`;
        printLine(`${name}:${aliasName} -> version ${number}${from}`);
      },
    );
  alias
    .command('unset')
    .argument('<name>')
    .argument('<alias>')
    .option('-m, --reason <text>', 'why (kept in the alias history)', '')
    .option('--json', 'print JSON')
    .action(async (name: string, aliasName: string, flags: AliasFlags, command: Command) => {
      const event = await changeAlias(command, flags, (m, change) =>
        m.unsetAlias(name, aliasName, change),
      );
      if (flags.json) return printJson(event);
      printLine(`${name}:${aliasName} removed (was version ${event.previousVersion ?? '-'})`);
    });
  alias
    .command('history')
    .argument('<name>')
    .argument('[alias]')
    .option('--json', 'print JSON')
    .action(
      async (name: string, aliasName: string | undefined, flags: JsonFlag, command: Command) => {
        const events = await withMetadata(resolveCommandConfig(command), (m) =>
          m.aliasHistory(name, aliasName),
        );
        if (flags.json) return printJson({ events });
        printLine(
          formatTable([
            ['WHEN', 'ALIAS', 'VERSION', 'FROM', 'WHO', 'WHY'],
            ...events.map((e) => [
              e.at.toISOString().slice(0, 19).replace('T', ' '),
              e.alias,
              e.version === null ? '(removed)' : String(e.version),
              e.previousVersion === null ? '-' : String(e.previousVersion),
              e.actor,
              e.reason || '-',
            ]),
          ]),
        );
      },
    );
}

interface AliasFlags extends JsonFlag {
  reason: string;
}

async function changeAlias<T>(
  command: Command,
  flags: AliasFlags,
  change: (m: MetadataStore, change: { actor: string; reason: string; at: Date }) => Promise<T>,
): Promise<T> {
  const config = resolveCommandConfig(command);
  const actor = await resolveActor(config);
  return withMetadata(config, (m) => change(m, { actor, reason: flags.reason, at: new Date() }));
}

function printVersion(v: ModelVersion): void {
  printLine(
    `${v.name} version ${v.version}${v.aliases.length ? `  (${v.aliases.join(', ')})` : ''}`,
  );
  printLine(`  artifact  ${v.artifactPath}  ${v.digest}  ${v.size} bytes`);
  printLine(`  made by   run ${v.runId}, stage ${v.stage}, commit ${v.commit ?? '-'}`);
  for (const [label, tensors] of [
    ['input', v.signature.inputs],
    ['output', v.signature.outputs],
  ] as const) {
    for (const t of tensors)
      printLine(`  ${label.padEnd(9)} ${t.name} ${t.datatype} [${t.shape.join(', ')}]`);
  }
  for (const m of v.metrics) printLine(`  metric    ${m.key} = ${m.value}  (${m.file})`);
  for (const [key, value] of Object.entries(v.params))
    printLine(`  param     ${key} = ${JSON.stringify(value)}`);
  for (const d of v.dataDigests) printLine(`  input     ${d.path}  ${d.digest.slice(0, 19)}`);
}
