import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options.js';

// The TypeORM CLI (`npm run migration:*`) works against DATABASE_URL, like operators do.
const url = process.env.DATABASE_URL;
if (!url) {
  console.error('DATABASE_URL is not set: the migration commands need the database to act on.');
  process.exit(1);
}

export default new DataSource(dataSourceOptions(url, 1));
