import { getMetadataArgsStorage } from 'typeorm';

/**
 * For the queries specs: an entity's columns as its decorators declare them (no data source
 * needed), property → column, to check the column lists and row mappers against.
 */
export function entityColumns(entity: object): Map<string, string> {
  const columns = getMetadataArgsStorage().columns.filter((column) => column.target === entity);
  return new Map(columns.map((column) => [column.propertyName, column.options.name ?? column.propertyName]));
}

/** The columns of a column list such as `id, merchant_id, created_at`, without a table alias. */
export function listedColumns(list: string): string[] {
  return list.split(',').map((column) => column.trim().replace(/^\w+\./, ''));
}

/** A row with each column of `entity` set to the value of its property in `object`. */
export function rowOf<T extends object>(entity: object, object: T): Record<string, unknown> {
  return Object.fromEntries([...entityColumns(entity)].map(([property, column]) => [column, object[property as keyof T]]));
}
