// Reads the Loghub-2k datasets from the shared data directory beside the repository (never copied in).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LOGHUB_DIR = fileURLToPath(new URL('../../../../shared/data/loghub-2k/', import.meta.url));

export const LOGHUB_DATASETS = [
  'Apache',
  'BGL',
  'HDFS',
  'HPC',
  'Hadoop',
  'Linux',
  'OpenSSH',
  'OpenStack',
  'Spark',
  'Zookeeper',
] as const;

export interface LabelledLine {
  content: string;
  eventId: string;
}

export interface LoghubDataset {
  name: string;
  lines: LabelledLine[];
  /** Distinct true templates. */
  templates: number;
}

export function loadLoghub(name: string): LoghubDataset {
  const [header, ...rows] = parseCsv(
    readFileSync(`${LOGHUB_DIR}${name}/${name}_2k.log_structured_corrected.csv`, 'utf8'),
  );
  const content = header?.indexOf('Content') ?? -1;
  const eventId = header?.indexOf('EventId') ?? -1;
  if (content < 0 || eventId < 0) throw new Error(`${name}: no Content/EventId columns`);
  const lines = rows.map((row) => ({ content: row[content] ?? '', eventId: row[eventId] ?? '' }));
  return { name, lines, templates: new Set(lines.map((line) => line.eventId)).size };
}

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (quoted) {
      if (char !== '"') field += char;
      else if (text[index + 1] === '"') {
        field += '"';
        index++;
      } else quoted = false;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(field);
      field = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[index + 1] === '\n') index++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += char;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
