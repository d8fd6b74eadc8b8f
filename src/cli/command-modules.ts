import type { Command } from 'commander';

export type RegisterCommands = (program: Command) => void;

/** A module of src/cli/commands: the top-level commands it registers and how to load it. */
export interface CommandModule {
  names: readonly string[];
  load: () => Promise<RegisterCommands>;
}

/**
 * Every command module, in the order `weft --help` lists them. Each is imported only when
 * needed: together they pull in the SQL layer, ONNX, the HTTP server and more, and loading
 * all of that costs more than the whole of a no-op `weft status`.
 */
export const COMMAND_MODULES: readonly CommandModule[] = [
  { names: ['init'], load: async () => (await import('./commands/init.js')).registerInit },
  { names: ['run'], load: async () => (await import('./commands/run.js')).registerRun },
  { names: ['status'], load: async () => (await import('./commands/status.js')).registerStatus },
  { names: ['runs', 'show'], load: async () => (await import('./commands/runs.js')).registerRuns },
  { names: ['metrics'], load: async () => (await import('./commands/metrics.js')).registerMetrics },
  { names: ['models'], load: async () => (await import('./commands/models.js')).registerModels },
  { names: ['lineage'], load: async () => (await import('./commands/lineage.js')).registerLineage },
  {
    names: ['evaluate'],
    load: async () => (await import('./commands/evaluate.js')).registerEvaluate,
  },
  {
    names: ['validate'],
    load: async () => (await import('./commands/validate.js')).registerValidate,
  },
  { names: ['report'], load: async () => (await import('./commands/report.js')).registerReport },
  {
    names: ['reproduce'],
    load: async () => (await import('./commands/reproduce.js')).registerReproduce,
  },
  { names: ['ci'], load: async () => (await import('./commands/ci.js')).registerCi },
  { names: ['serve'], load: async () => (await import('./commands/serve.js')).registerServe },
  { names: ['audit'], load: async () => (await import('./commands/audit.js')).registerAudit },
  { names: ['up'], load: async () => (await import('./commands/up.js')).registerUp },
  {
    names: ['deployments'],
    load: async () => (await import('./commands/deployments.js')).registerDeployments,
  },
  { names: ['gc'], load: async () => (await import('./commands/gc.js')).registerGc },
  { names: ['token'], load: async () => (await import('./commands/token.js')).registerToken },
];

/**
 * The registrations `weft <commandName> …` needs: the one module that registers the command,
 * or all of them when there is no command name or no module claims it (help, --version, a
 * typo that deserves a "did you mean").
 */
export async function loadCommands(commandName: string | undefined): Promise<RegisterCommands[]> {
  const owner = COMMAND_MODULES.find((module) => module.names.includes(commandName ?? ''));
  return Promise.all((owner ? [owner] : COMMAND_MODULES).map((module) => module.load()));
}
