import { HarnessError } from '../../errors.ts';
import type { CommandModule } from '../command.ts';

/** Placeholder registration for a command whose module is not written yet. */
export function notImplemented(name: string, args: string, description: string): CommandModule {
  return {
    name,
    register(program) {
      program
        .command(`${name} ${args}`.trim())
        .description(`${description} (not implemented yet)`)
        .allowUnknownOption()
        .action(() => {
          throw new HarnessError('INTERNAL', `rehearse ${name} is not implemented yet`);
        });
    },
  };
}
