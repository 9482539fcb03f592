/**
 * CSV for report exports, quoted as RFC 4180 says: fields holding a comma, a quote or a line break
 * are quoted, and quotes inside them doubled.
 */

/**
 * One field as CSV text; null and undefined are empty.
 * @param {unknown} value
 */
export function escapeCsvField(value) {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One CSV line of a report row, its fields in the order of `columns`.
 * @param {number} reportId
 * @param {string[]} columns
 * @param {Record<string, unknown>} row
 * @param {number} index the row's number in the report, for the error message
 */
export function toCsvRow(reportId, columns, row, index) {
  const values = Object.values(row);
  if (values.length !== columns.length) {
    throw new Error(`Column count mismatch in report ${reportId}: expected ${columns.length} fields, got ${values.length} (row ${index})`);
  }
  return values.map(escapeCsvField).join(',');
}
