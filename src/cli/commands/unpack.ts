import { resolve } from 'node:path';
import { unpackArchive } from '../../archive/unpack.ts';
import type { CommandModule } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';

const command: CommandModule = {
  name: 'unpack',
  register(program, io, done) {
    program
      .command('unpack <archive> <dir>')
      .description('Unpack a recording into readable JSON files (manifest.json, sessions/NNNNNN.json) for review and diffs')
      .option('--force', 'replace manifest.json and sessions/ in a non-empty folder')
      .addHelpText(
        'after',
        `
Every entry is checked (checksum, schema) before anything is moved into <dir>; nothing is
ever written outside it. Files are pretty-printed JSON, keys in stored order.

Examples:
  rehearse unpack recordings/support.tar.gz review/
  rehearse unpack recordings/support.tar.gz review/ --force

Exit status: 0 unpacked, 2 target not empty (without --force), 3 the archive is unreadable,
corrupt or hostile.`,
      )
      .action(async (archive: string, dir: string, flags: { force?: boolean }) => {
        const manifest = await unpackArchive(resolve(io.cwd, archive), resolve(io.cwd, dir), { force: flags.force ?? false });
        io.stdout.write(`unpacked ${manifest.counts.sessions} sessions into ${dir}\n`);
        done(ExitCode.OK);
      });
  },
};

export default command;
