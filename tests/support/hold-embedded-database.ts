// Starts the embedded database and then idles, so a test can hard-kill its owner.
import { startEmbeddedDatabase } from '../../lib/db/embedded';

const [dataDir, port] = process.argv.slice(2);
const database = await startEmbeddedDatabase({ dataDir: dataDir ?? '', port: Number(port) });
process.stdout.write(`ready ${database.url}\n`);
setInterval(() => {}, 60_000);
