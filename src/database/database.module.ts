import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../config/config.js';
import { dataSourceOptions } from './data-source-options.js';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        if (!config.databaseUrl) throw new Error('DATABASE_URL must be resolved before the app boots');
        return dataSourceOptions(config.databaseUrl, config.databasePoolSize, {
          statementTimeoutMs: config.databaseStatementTimeoutMs,
          poolTimeoutMs: config.databasePoolTimeoutMs,
        });
      },
    }),
  ],
})
export class DatabaseModule {}
