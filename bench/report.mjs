// The final table (Markdown, so that it can be pasted into docs/performance.md) and the JSON file.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** One row per server and scenario (per table size for the list). */
export function tableRows(results) {
  const rows = [];
  for (const result of results) {
    if (result.phases) {
      const [small, large] = result.phases;
      for (const phase of result.phases) {
        rows.push(row(`${result.name} @${rowsLabel(phase.rows)} rows`, 'app', phase.sides.app, {
          ratio: phase === large ? `${result.ratio.toFixed(2)} (${rowsLabel(large.rows)}/${rowsLabel(small.rows)})` : '',
        }));
      }
    } else if (result.eventsPerSecond !== undefined) {
      rows.push({
        scenario: result.name,
        server: 'app',
        'req/s': '',
        rounds: '',
        'p50 ms': '',
        'p99 ms': '',
        errors: result.errors,
        'peak RSS MB': result.peakRssMb ?? '',
        'steal %': '',
        ratio: '',
        note: `${result.eventsPerSecond} events/s (${result.deliveredEvents}/${result.expectedEvents} in ${result.seconds} s)`,
      });
    } else {
      const against = result.variant ? result.variant.name : 'ref';
      // At a fixed rate, a side answering less than 95 % of it fell behind: its p99 is its queue.
      const behind = result.rate ? ['app', 'reference'].filter((name) => result.sides[name].rps < 0.95 * result.rate) : [];
      const fixedRate = result.rate
        ? `at ${result.rate} req/s (½ of the reference's ${result.referenceMaximum.rps}, ${result.referenceMaximum.source}); p99 rounds app ${result.sides.app.roundsP99.join(' / ')}, ref ${result.sides.reference.roundsP99.join(' / ')}` +
          (behind.length ? `; ${behind.join(' and ')} below 95 % of the rate` : '')
        : '';
      rows.push(
        row(result.name, 'app', result.sides.app, {
          ratio: result.ratio !== undefined ? `${result.ratio.toFixed(2)} (${result.ratioOf ? `${result.ratioOf} ` : ''}app/${against})` : '',
          note: result.ideal ? `${Math.round(result.vsIdeal * 100)} % of ideal ${result.ideal} req/s` : fixedRate,
        }),
      );
      if (result.sides.reference) {
        rows.push(row(result.name, 'reference', result.sides.reference, { note: result.ideal ? `${Math.round(result.referenceVsIdeal * 100)} % of ideal ${result.ideal} req/s` : '' }));
      }
      if (result.variant) rows.push(row(result.name, result.variant.name, result.sides[result.variant.name], {}));
    }
  }
  return rows;
}

function row(scenario, server, side, { ratio = '', note = '' }) {
  return {
    scenario,
    server,
    'req/s': side.rps,
    rounds: side.roundsRps.join(' / '),
    'p50 ms': side.p50,
    'p99 ms': side.p99,
    errors: side.errors,
    'peak RSS MB': side.peakRssMb ?? '',
    'steal %': side.maxStealPercent ?? '',
    ratio,
    note,
  };
}

const rowsLabel = (count) => (count >= 1_000_000 ? `${Math.round(count / 100_000) / 10}M` : `${Math.round(count / 100) / 10}k`);

export function markdownTable(rows) {
  const columns = Object.keys(rows[0] ?? {});
  const cells = rows.map((r) => columns.map((column) => String(r[column])));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i].length)));
  const line = (values) => `| ${values.map((value, i) => value.padEnd(widths[i])).join(' | ')} |`;
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

export async function writeResults(report) {
  const dir = path.join(import.meta.dirname, 'results');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
