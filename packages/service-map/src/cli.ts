#!/usr/bin/env node
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { callGraph, sampleRateOf } from './call-graph';
import { readTraceFiles, traceFiles } from './read-traces';
import { renderSvg, renderTable } from './render';

const usage = `usage: cruddur-service-map [--traces FILE_OR_DIR] [--svg FILE] [--json]
  --traces  OTLP/JSON lines written by the collector's file exporter (default .run/traces)
  --svg     where to write the picture (default .run/service-map.svg)
  --json    print the edges as JSON instead of a table`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        traces: { type: 'string', default: '.run/traces' },
        svg: { type: 'string', default: '.run/service-map.svg' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if (args.help) {
    console.log(usage);
    return 0;
  }

  const files = traceFiles(args.traces);
  if (files.length === 0) {
    console.error(`no trace files at ${resolve(args.traces)}: start the local stack (make run), send it some traffic, then run this again.`);
    return 1;
  }
  const { spans, badLines } = await readTraceFiles(files);
  const edges = callGraph(spans);
  if (edges.length === 0) {
    console.error(`${spans.length} spans in ${files.length} file(s), but no calls between services yet: send some traffic first.`);
    return 1;
  }

  console.log(args.json ? JSON.stringify(edges, null, 2) : renderTable(edges));
  mkdirSync(dirname(resolve(args.svg)), { recursive: true });
  writeFileSync(args.svg, await renderSvg(edges));
  const sampled = spans.some((span) => sampleRateOf(span) > 1);
  console.error(
    `\n${spans.length} spans from ${files.length} file(s)${badLines ? `, ${badLines} unreadable line(s) skipped` : ''}` +
      `${sampled ? '; counts are of the calls the kept traces stand for (their SampleRate)' : ''}; picture: ${args.svg}`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`service map failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
