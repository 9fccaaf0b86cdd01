import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getRuleDefinition } from '../detections/registry';

/** The investigation guide (Markdown) shipped beside the rule's code. */
export async function readRuleGuide(ruleId: string): Promise<string | null> {
  if (!getRuleDefinition(ruleId)) return null;
  const file = path.join(/*turbopackIgnore: true*/ process.cwd(), 'lib', 'detections', 'rules', ruleId, 'guide.md');
  return readFile(/*turbopackIgnore: true*/ file, 'utf8').catch(() => null);
}
