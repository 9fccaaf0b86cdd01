// vigil <command> [--json]: the command line, thin over lib/.
import { printFailure, printResult, type CommandResult } from './cli-output';
import { doctorCommand } from './commands/doctor';
import { migrateCommand } from './commands/migrate';
import { seedCommand } from './commands/seed';
import { startCommand } from './commands/start';
import { webCommand } from './commands/web';
import { workerCommand } from './commands/worker';

const USAGE = `Usage: vigil <command> [options]

Commands:
  start              migrate, seed, build if needed, then run the web server and the worker
  web                run the web server only (production: one process per role)
  worker             run the background worker only
  migrate            apply database migrations
  seed               create the rule catalog; demo data when the database is empty
  doctor             check database, migrations and worker; exit 1 when something is wrong
  db-diff <name>     write the next migration from prisma/schema.prisma
  demo generate      write a demo cluster's audit log with planted attacks and its ground truth
                     --format F --events N --out FILE [--seed S] [--hours H] [--truth FILE] [--gzip]
  ingest FILE…       store audit logs [--format F] [--cluster NAME]; gzip is detected
                     --server URL [--token T]: send them to a running Vigil instead (token: VIGIL_TOKEN)
  user …             accounts: create, list, set-role, disable, enable, set-password, setup-link
  token …            API tokens: create --name N --scope S…, list, revoke ID
  detect             rebuild alerts from all stored data, or bring them in step with [--from T --to T]; [--rule ID] [--dry-run] [--rebuild]
  retention          drop the raw events past their retention period (Settings → Data); --dry-run lists them
  bench ingest|detect|ui|live  benchmark ingest against a plain COPY, the rules against hand-written SQL, or every page and API route (p50/p95) [--events N]

Options:
  --json             print one JSON document (every reporting command)
  -h, --help         show this help

Environment: DATABASE_URL (unset: embedded PostgreSQL in .vigil/), PORT, HOST, VIGIL_DATA_DIR,
VIGIL_EMBEDDED_PG_PORT, VIGIL_SEED_DEMO, VIGIL_AUTH_SECRET, VIGIL_PUBLIC_URL, VIGIL_MAX_UPLOAD_BYTES,
VIGIL_MAX_WEBHOOK_BYTES, VIGIL_MAX_DECOMPRESSED_BYTES, VIGIL_RETENTION_DAYS, VIGIL_TRUSTED_PROXIES,
WORKER_CONCURRENCY, LOG_LEVEL. See README.`;

/** Reporting commands get the arguments after their name and parse them themselves. */
const reporting: Record<string, (args: string[]) => Promise<CommandResult>> = {
  migrate: () => migrateCommand(),
  seed: () => seedCommand(),
  doctor: () => doctorCommand(),
  'db-diff': async (args) => (await import('./commands/db-diff')).dbDiffCommand(args),
  demo: async (args) => (await import('./commands/demo')).demoCommand(args),
  ingest: async (args) => (await import('./commands/ingest')).ingestCommand(args),
  detect: async (args) => (await import('./commands/detect')).detectCommand(args),
  bench: async (args) => (await import('./commands/bench')).benchCommand(args),
  user: async (args) => (await import('./commands/user')).userCommand(args),
  token: async (args) => (await import('./commands/token')).tokenCommand(args),
  retention: async (args) => (await import('./commands/retention')).retentionCommand(args),
};

const longRunning: Record<string, () => Promise<void>> = {
  start: startCommand,
  web: webCommand,
  worker: workerCommand,
};

async function main() {
  const argv = process.argv.slice(2);
  const json = argv.includes('--json');
  const command = argv[0];
  const args = argv.slice(1).filter((arg) => arg !== '--json');
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    process.exitCode = command ? 0 : 1;
    return;
  }
  try {
    const report = reporting[command];
    const run = longRunning[command];
    if (report) printResult(await report(args), json);
    else if (run) await run();
    else throw new Error(`unknown command "${command}". Run \`vigil --help\` for the list.`);
  } catch (error) {
    printFailure(error, json);
  }
}

await main();
