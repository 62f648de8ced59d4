// Runs the CLI: parses arguments, runs the command, turns every failure into `error [CODE]: message`
// and an exit code (never a stack trace for a user error; MELGUARD_DEBUG=1 shows one for internal errors).
import { CommanderError } from 'commander';
import { buildProgram } from './program';
import { describeError, EXIT } from './lib/errors';

export async function main(argv: string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT.ok;
      if (err.code === 'commander.help' || err.code === 'commander.executeSubCommandAsync') return EXIT.usage; // help shown for a bare group
      process.stderr.write(`error [E_USAGE]: ${err.message.replace(/^error: /, '')}\n`);
      return EXIT.usage;
    }
    const d = describeError(err);
    process.stderr.write(`error [${d.code}]: ${d.message}\n`);
    if (d.internal && process.env.MELGUARD_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
    else if (d.internal) process.stderr.write('(this looks like a bug in melguard; rerun with MELGUARD_DEBUG=1 for a stack trace)\n');
    return d.exitCode;
  }
}
