import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_MODULES, loadCommands } from './command-modules.js';

describe('COMMAND_MODULES', () => {
  it('names exactly the top-level commands each module registers', async () => {
    for (const module of COMMAND_MODULES) {
      const program = new Command();
      (await module.load())(program);
      expect(program.commands.map((command) => command.name())).toEqual(module.names);
    }
  });

  it('claims every command name once', () => {
    const names = COMMAND_MODULES.flatMap((module) => module.names);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('loadCommands', () => {
  it('loads only the module of the command named', async () => {
    const registrations = await loadCommands('show');
    const program = new Command();
    for (const register of registrations) register(program);
    expect(program.commands.map((command) => command.name())).toEqual(['runs', 'show']);
  });

  it('loads every module without a command name or for an unknown one', async () => {
    expect(await loadCommands(undefined)).toHaveLength(COMMAND_MODULES.length);
    expect(await loadCommands('stauts')).toHaveLength(COMMAND_MODULES.length);
  });
});
