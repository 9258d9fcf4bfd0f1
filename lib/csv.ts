/**
 * One CSV line (RFC 4180 quoting). Cells that a spreadsheet would run as a formula (= + - @, tab, CR) get a leading
 * apostrophe: exported audit and endpoint data is customer-influenced text (OWASP "CSV injection").
 */
export function csvRow(cells: readonly string[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
