import type { Command } from 'commander';
import { registerRun } from './commands/run.js';
import { registerStatus } from './commands/status.js';

export type RegisterCommands = (program: Command) => void;

/** A module of src/cli/commands: the top-level commands it registers and how to load it. */
export interface CommandModule {
  names: readonly string[];
  load: () => Promise<RegisterCommands>;
}

/**
 * Everything else, imported only when one of those commands runs: together they pull in the
 * SQL layer, ONNX, the HTTP server and more, which costs more to load than the whole of a
 * no-op `weft status`.
 */
const onDemand = () => import('./commands/on-demand.js');

/**
 * Every command module, in the order `weft --help` lists them. `run` and `status`, which a
 * no-op must answer fast, are part of the main bundle; the others load on demand.
 */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { names: ['init'], load: async () => (await onDemand()).registerInit },
  { names: ['run'], load: () => Promise.resolve(registerRun) },
  { names: ['status'], load: () => Promise.resolve(registerStatus) },
  { names: ['runs', 'show'], load: async () => (await onDemand()).registerRuns },
  { names: ['metrics'], load: async () => (await onDemand()).registerMetrics },
  { names: ['models'], load: async () => (await onDemand()).registerModels },
  { names: ['lineage'], load: async () => (await onDemand()).registerLineage },
  { names: ['evaluate'], load: async () => (await onDemand()).registerEvaluate },
  { names: ['validate'], load: async () => (await onDemand()).registerValidate },
  { names: ['report'], load: async () => (await onDemand()).registerReport },
  { names: ['reproduce'], load: async () => (await onDemand()).registerReproduce },
  { names: ['ci'], load: async () => (await onDemand()).registerCi },
  { names: ['serve'], load: async () => (await onDemand()).registerServe },
  { names: ['audit'], load: async () => (await onDemand()).registerAudit },
  { names: ['up'], load: async () => (await onDemand()).registerUp },
  { names: ['deployments'], load: async () => (await onDemand()).registerDeployments },
  { names: ['gc'], load: async () => (await onDemand()).registerGc },
  { names: ['token'], load: async () => (await import('./commands/token.js')).registerToken },
  {
    names: ['dashboard'],
    load: async () => (await import('./commands/dashboard.js')).registerDashboard,
  },
];

/**
 * The registrations `weft <commandName> …` needs: the one module that registers the command,
 * or all of them when there is no command name or no module claims it (help, a typo that
 * deserves a "did you mean").
 */
export async function loadCommands(commandName: string | undefined): Promise<RegisterCommands[]> {
  const owner = COMMAND_MODULES.find((module) => module.names.includes(commandName ?? ''));
  return Promise.all((owner ? [owner] : COMMAND_MODULES).map((module) => module.load()));
}
