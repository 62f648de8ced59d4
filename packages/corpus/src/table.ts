// Reading delimited text tables (manifest TSV/CSV): RFC 4180 quoting for CSV, plain tabs for TSV.

export interface Table {
  delimiter: '\t' | ',';
  header: string[];
  /** Data rows with their 1-based line number in the file (for error messages). */
  rows: { line: number; cells: string[] }[];
}

export function parseTable(text: string, delimiter?: '\t' | ','): Table {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const delim = delimiter ?? (firstLine.includes('\t') ? '\t' : ',');
  const records = delim === '\t' ? splitTsv(body) : splitCsv(body);
  const nonEmpty = records.filter((r) => !(r.cells.length === 1 && r.cells[0]!.trim() === ''));
  if (nonEmpty.length === 0) return { delimiter: delim, header: [], rows: [] };
  const [head, ...rest] = nonEmpty;
  return { delimiter: delim, header: head!.cells.map((c) => c.trim()), rows: rest };
}

function splitTsv(text: string): { line: number; cells: string[] }[] {
  return text.split(/\r?\n/).map((l, i) => ({ line: i + 1, cells: l.split('\t') }));
}

function splitCsv(text: string): { line: number; cells: string[] }[] {
  const out: { line: number; cells: string[] }[] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell.length === 0) {
      quoted = true;
    } else if (ch === ',') {
      cells.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      out.push({ line: recordLine, cells });
      cells = [];
      cell = '';
      line++;
      recordLine = line;
    } else {
      cell += ch;
    }
  }
  if (cell.length > 0 || cells.length > 0) {
    cells.push(cell);
    out.push({ line: recordLine, cells });
  }
  return out;
}
