import { Global, Module } from '@nestjs/common';
import { DatabaseNotifications } from './database-notifications.js';
import { Sql } from './sql.js';

@Global()
@Module({ providers: [Sql, DatabaseNotifications], exports: [Sql, DatabaseNotifications] })
export class SqlModule {}
