import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './dist/src/database/data-source-options.js';
const url = process.argv[2];
const ds = await new DataSource(dataSourceOptions(url, 2)).initialize();
console.log(await ds.query('select 1 as x'));
await ds.destroy();
