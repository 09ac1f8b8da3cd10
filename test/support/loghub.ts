// Reads the Loghub-2k datasets from the shared data directory beside the repository (never copied in).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const LOGHUB_DIR = fileURLToPath(new URL('../../../shared/data/loghub-2k/', import.meta.url));

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
  const lines = loadLoghubRows(name, ['Content', 'EventId']).map((row) => ({
    content: row.Content,
    eventId: row.EventId,
  }));
  return { name, lines, templates: new Set(lines.map((line) => line.eventId)).size };
}

/** The rows of a dataset's structured CSV, with the named columns (a missing column is an error). */
export function loadLoghubRows<Column extends string>(
  name: string,
  columns: readonly Column[],
): Record<Column, string>[] {
  const file = `${LOGHUB_DIR}${name}/${name}_2k.log_structured_corrected.csv`;
  const [header = [], ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const indexes = columns.map((column) => {
    const index = header.indexOf(column);
    if (index < 0) throw new Error(`${file}: no ${column} column`);
    return index;
  });
  return rows.map((row) => {
    const record = {} as Record<Column, string>;
    columns.forEach((column, position) => (record[column] = row[indexes[position] ?? 0] ?? ''));
    return record;
  });
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
