import { mkdirSync } from 'node:fs';
import { runAdminCommand } from './adminCommands';
import { configFromEnv } from './config';
import { openDatabase } from './db/open';

/** `npm run server:admin -- <command>`: the team directory's admin commands (server/adminCommands.ts). */
async function main(argv: string[]): Promise<number> {
  const config = configFromEnv();
  if (!config.databaseUrl) mkdirSync(config.dataDir, { recursive: true });
  const opened = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    return await runAdminCommand(opened.db, argv);
  } finally {
    await opened.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
