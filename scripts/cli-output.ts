// How every vigil command reports: human text by default, one JSON document with --json.
export type CommandResult = { ok: boolean; text: string; json: Record<string, unknown> };

export function printResult(result: CommandResult, json: boolean) {
  if (json) process.stdout.write(`${JSON.stringify({ ok: result.ok, ...result.json }, null, 2)}\n`);
  else (result.ok ? console.log : console.error)(result.text);
  process.exitCode = result.ok ? 0 : 1;
}

export function printFailure(error: unknown, json: boolean) {
  const message = error instanceof Error ? error.message : String(error);
  if (json) process.stdout.write(`${JSON.stringify({ ok: false, error: message }, null, 2)}\n`);
  else console.error(`vigil: ${message}`);
  process.exitCode = 1;
}
