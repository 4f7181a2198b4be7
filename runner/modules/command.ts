// command: run a program without a shell (words are quoted, so $VAR and | stay literal).
// Probe: 0 execs, or 1 when creates/removes/chdir is given.
import { defineModule } from './types.js';
import { commandSchemaProps, commandVerifiable, decideCommand, normalizeCommand, overlayCommand, predictCommand, probeCommand, type CommandArgs, type CommandProbe } from './command-core.js';

export const commandModule = defineModule<CommandArgs, CommandProbe>({
  name: 'command',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: { ...commandSchemaProps, argv: { type: 'array', items: { type: 'string' }, minItems: 1 } },
  },
  normalize: normalizeCommand,
  verifiable: commandVerifiable,
  probe: probeCommand,
  overlay: overlayCommand,
  predict: predictCommand,
  decide: (args, probe) => decideCommand(args, probe, false),
});
