// shell: run a command line through the host's shell (/bin/sh, or `executable`).
// Probe: 0 execs, or 1 when creates/removes/chdir is given.
import { defineModule } from './types.js';
import { commandSchemaProps, commandVerifiable, decideCommand, normalizeCommand, overlayCommand, predictCommand, probeCommand, type CommandArgs, type CommandProbe } from './command-core.js';

export const shellModule = defineModule<CommandArgs, CommandProbe>({
  name: 'shell',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['cmd'],
    properties: { ...commandSchemaProps, executable: { type: 'string' } },
  },
  normalize: normalizeCommand,
  verifiable: commandVerifiable,
  probe: probeCommand,
  overlay: overlayCommand,
  predict: predictCommand,
  decide: (args, probe) => decideCommand(args, probe, true),
});
