import { resolve } from 'node:path';
import { packDirectory } from '../../archive/pack.ts';
import type { CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

const command: CommandModule = {
  name: 'pack',
  register(program, io, done) {
    program
      .command('pack <dir> <archive>')
      .description('Pack an unpacked recording folder (manifest.json + sessions/*.json) into an archive, validating every file (byte-stable)')
      .addHelpText(
        'after',
        `
The archive is gzipped when its name ends in .gz or .tgz. createdAt, generator and the
anonymization policy come from <dir>/manifest.json; entries, counts and checksums are
recomputed from the session files. The same folder always packs to the same bytes, and
unpack followed by pack reproduces the original archive.

Examples:
  rehearse pack review/ recordings/support.tar.gz
  rehearse unpack recordings/support.tar.gz review/ && rehearse pack review/ copy.tar.gz

Exit status: 0 packed, 3 a file is missing, invalid or not a regular file.`,
      )
      .action(async (dir: string, archive: string) => {
        const manifest = await packDirectory(resolve(io.cwd, dir), resolve(io.cwd, archive));
        io.stdout.write(`packed ${manifest.counts.sessions} sessions (${manifest.counts.turns} turns) into ${archive}\n`);
        done(ExitCode.OK);
      });
  },
};

export default command;
