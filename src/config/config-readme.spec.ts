import { readFileSync } from 'node:fs';
import { CONFIG_SCHEMA } from './config.js';
import { defaultText, type Variable } from './schema.js';

interface Row {
  readonly variable: string;
  readonly default: string;
  readonly meaning: string;
}

/** The rows of the `| variable | default | meaning |` table in the "## Configuration" section of docs/operators.md. */
function configurationTable(readme: string): Row[] {
  const section = readme.split(/^## /m).find((part) => part.startsWith('Configuration\n'));
  if (section === undefined) throw new Error('docs/operators.md has no "## Configuration" section');
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => {
      const cells = line.slice(1, -1).split(' | ').map((cell) => cell.trim());
      if (cells.length !== 3) throw new Error(`Not a row of three cells: ${line}`);
      const [variable, fallback, meaning] = cells as [string, string, string];
      return { variable: variable.replace(/`/g, ''), default: fallback, meaning };
    });
}

/** What the default column says for a variable: its default text, quoted, or "unset…". */
function documentedDefault(variable: Variable<unknown>): string | RegExp {
  const fallback = variable.default;
  if (fallback === undefined || fallback === '') return /^unset/;
  if (typeof fallback !== 'function') return `\`${defaultText(fallback, false)}\``;
  const [production, otherwise] = [defaultText(fallback, true), defaultText(fallback, false)];
  return production === otherwise ? `\`${production}\`` : `\`${production}\` in production, \`${otherwise}\` otherwise`;
}

const rows = configurationTable(readFileSync(new URL('../../docs/operators.md', import.meta.url), 'utf8'));
const variables = Object.values(CONFIG_SCHEMA);

describe('The configuration table of docs/operators.md', () => {
  it('has one row per variable of the schema, and no other', () => {
    expect(rows.map((row) => row.variable).sort()).toEqual(variables.map((variable) => variable.name).sort());
  });

  it.each(variables.map((variable) => [variable.name, variable]))('gives the default of %s', (name, variable) => {
    const row = rows.find((candidate) => candidate.variable === name);
    if (variable.secret && variable.default) {
      // A secret's development default is never printed, not even in the docs.
      expect(row?.default).not.toContain(defaultText(variable.default, false));
    } else {
      const expected = documentedDefault(variable);
      if (typeof expected === 'string') expect(row?.default).toBe(expected);
      else expect(row?.default).toMatch(expected);
    }
  });

  it.each(variables.filter((variable) => variable.requiredInProduction).map((variable) => [variable.name]))(
    'says that %s is required in production',
    (name) => {
      expect(rows.find((row) => row.variable === name)?.meaning).toContain('Required in production');
    },
  );

  it.each(variables.filter((variable) => variable.unit === 'ms').map((variable) => [variable.name]))('says that %s is in ms', (name) => {
    expect(rows.find((row) => row.variable === name)?.meaning).toMatch(/\bms\b/);
  });
});
