// The scan's output file: opened for appending after cutting off a trailing partial record (a killed run),
// each record appended with a single write() so a reader or a later run never sees half a line.
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../lib/atomic';
import { CliError } from '../lib/errors';
import { CSV_HEADER, formatRecord, parseOutput, type OutputFormat, type ParsedOutput, type ScanRecord } from './records';

/** Reads an existing output (if any) and cuts a trailing partial record off the file. */
export function loadExistingOutput(file: string, format: OutputFormat): ParsedOutput & { truncatedBytes: number } {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    if ((err as { code?: string }).code === 'ENOENT') return { records: [], completeBytes: 0, partial: false, invalid: 0, truncatedBytes: 0 };
    throw err;
  }
  let parsed: ParsedOutput;
  try {
    parsed = parseOutput(bytes, format);
  } catch (err) {
    throw new CliError('E_OUTPUT_FORMAT', `${file} is not a ${format.toUpperCase()} output of melguard scan (${(err as Error).message}); choose another --out or --format`);
  }
  if (parsed.partial) fs.truncateSync(file, parsed.completeBytes);
  return { ...parsed, truncatedBytes: bytes.length - parsed.completeBytes };
}

/** Replaces the output with exactly these records (atomic rename). */
export function rewriteOutput(file: string, format: OutputFormat, records: readonly ScanRecord[]): void {
  const parts = format === 'csv' ? [CSV_HEADER] : [];
  for (const r of records) parts.push(formatRecord(r, format));
  writeFileAtomic(file, parts.join(''));
}

export class RecordWriter {
  private constructor(
    private readonly fd: number,
    private readonly format: OutputFormat,
    private readonly ownsFd: boolean,
  ) {}

  /** Appends to `file` (created with a CSV header when needed). */
  static open(file: string, format: OutputFormat): RecordWriter {
    fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const fd = fs.openSync(file, 'a');
    const w = new RecordWriter(fd, format, true);
    if (format === 'csv' && fs.fstatSync(fd).size === 0) w.writeRaw(CSV_HEADER);
    return w;
  }

  /** Writes to an already open descriptor (stdout). */
  static toFd(fd: number, format: OutputFormat): RecordWriter {
    const w = new RecordWriter(fd, format, false);
    if (format === 'csv') w.writeRaw(CSV_HEADER);
    return w;
  }

  write(record: ScanRecord): void {
    this.writeRaw(formatRecord(record, this.format));
  }

  close(): void {
    if (!this.ownsFd) return;
    fs.fsyncSync(this.fd);
    fs.closeSync(this.fd);
  }

  private writeRaw(text: string): void {
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    // one write() per record; the loop only matters if the kernel writes less (a later run cuts any tail)
    while (off < buf.length) {
      try {
        off += fs.writeSync(this.fd, buf, off, buf.length - off);
      } catch (err) {
        if ((err as { code?: string }).code === 'EAGAIN') continue; // non-blocking pipe (stdout)
        throw err;
      }
    }
  }
}
