// CSV exports (RFC 4180), safe to open in a spreadsheet: the audit log and the endpoint dashboard stream through this.

// A cell starting with one of these is a formula to Excel, LibreOffice and Sheets (OWASP "CSV injection"): an actor
// e-mail or a note like "=HYPERLINK(…)" would run. A leading apostrophe makes it text.
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV cell: text made formula-safe, then quoted when it holds a comma, a quote or a line break. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s: string;
  if (value instanceof Date) s = value.toISOString();
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  else if (typeof value === 'string') s = value;
  else s = JSON.stringify(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: unknown[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/**
 * A CSV byte stream: the header, then the rows read a batch at a time as the client consumes them (pull-based: a slow
 * download does not pile rows up in memory).
 */
export function csvStream<T>(
  header: string[],
  batches: () => AsyncGenerator<T[]>,
  toRow: (row: T) => unknown[],
  what: string,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let source: AsyncGenerator<T[]> | null = null;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(header)));
    },
    async pull(controller) {
      source ??= batches();
      try {
        const next = await source.next();
        if (next.done) {
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(next.value.map((r) => csvLine(toRow(r))).join('')));
      } catch (err) {
        // Headers are already sent: the only honest signal left is to abort the download (the browser shows it failed).
        console.error(`[${what} export] failed mid-stream:`, err);
        controller.error(new Error(`The ${what} export failed part-way; try again.`));
      }
    },
    async cancel() {
      await source?.return(undefined);
    },
  });
}
