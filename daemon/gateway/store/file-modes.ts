import { chmodSync, closeSync, openSync } from 'node:fs';

/** The files SQLite keeps beside a database in WAL mode (and a rollback journal, should one appear). */
const COMPANIONS = ['-wal', '-shm', '-journal'];

/**
 * The request log holds prompts and answers: only its owner may read it. SQLite creates the
 * database with the process umask (usually 0644) and gives -wal and -shm the mode of the database
 * file, so creating the file 0600 first covers all three; an existing install is tightened too.
 */
export function restrictDatabaseFiles(file: string): void {
  if (file === ':memory:' || file === '') return;
  closeSync(openSync(file, 'a', 0o600));
  for (const path of [file, ...COMPANIONS.map((suffix) => file + suffix)]) {
    try {
      chmodSync(path, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
