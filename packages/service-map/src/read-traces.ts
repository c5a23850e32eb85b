import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { flattenOtlpJson, type FlatSpan, type OtlpTracesPayload } from './otlp-json';

/** The trace files at `path`: the file itself, or every .json/.jsonl file in the folder. */
export function traceFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => /\.jsonl?$/.test(name))
    .sort()
    .map((name) => join(path, name));
}

/**
 * Reads OTLP/JSON lines, one export request per line, as the collector's file exporter
 * writes them. A line that does not parse (a file still being written) is counted and skipped.
 */
export async function readTraceFiles(files: string[]): Promise<{ spans: FlatSpan[]; badLines: number }> {
  const spans: FlatSpan[] = [];
  let badLines = 0;
  for (const file of files) {
    const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      try {
        for (const span of flattenOtlpJson(JSON.parse(line) as OtlpTracesPayload)) spans.push(span);
      } catch {
        badLines++;
      }
    }
  }
  return { spans, badLines };
}
