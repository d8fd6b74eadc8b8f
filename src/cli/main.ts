#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { loadCommands } from './command-modules.js';
import { describeForUser, EXIT, exitCodeFor } from './exit-codes.js';
import { WEFT_VERSION } from '../core/version.js';

/** Options every command takes; they may come before the command name. */
function addGlobalOptions(program: Command): Command {
  return program
    .option('-C, --cwd <dir>', 'run as if weft was started in <dir>')
    .option('--store <dir>', 'artifact store directory (env WEFT_STORE_DIR; default .weft/store)')
    .option(
      '--database <url>',
      'postgres://… or a SQLite file (env WEFT_DATABASE_URL; default .weft/weft.db)',
    );
}

/** What `weft [global options] <command> …` asks for, read before any command is loaded. */
function readCommandLine(argv: string[]): { commandName?: string; versionOnly: boolean } {
  const probe = addGlobalOptions(new Command())
    .option('-V, --version')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  try {
    const [commandName] = probe.parseOptions(argv.slice(2)).operands;
    return { commandName, versionOnly: commandName === undefined && probe.opts().version === true };
  } catch {
    return { versionOnly: false }; // a malformed global option: the real parse reports it
  }
}

async function buildProgram(argv: string[]): Promise<Command> {
  const program = addGlobalOptions(
    new Command('weft')
      .description('GitOps for machine learning: reproducible, cached pipelines from a Git repo')
      .version(WEFT_VERSION),
  )
    .showHelpAfterError()
    .exitOverride();
  // Only the module of the command being run is loaded (see COMMAND_MODULES).
  const { commandName, versionOnly } = readCommandLine(argv);
  if (versionOnly) return program;
  for (const register of await loadCommands(commandName)) register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
      return;
    }
    console.error(describeForUser(error));
    process.exitCode = exitCodeFor(error);
  }
}

await main(process.argv);
