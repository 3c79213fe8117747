import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/roles.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { GatewayError } from '../common/errors.js';
import { Sql } from '../database/sql.js';
import { Lifecycle } from './lifecycle.js';
import { PING } from './queries/health.queries.js';

@ApiTags('health')
// Answered by Node before any route: what a probe can get wrong.
@ApiErrors({ code: 'headers_too_large', message: 'The request line and headers exceed 16 kB' })
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly lifecycle: Lifecycle,
    private readonly sql: Sql,
    // TypeORM owns the migrations: it tells which are pending.
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get('live')
  @HealthCheck()
  @ApiOperation({ summary: 'The process is up', description: 'For liveness probes: answers while the process runs, whatever the database does (a database outage must not get every instance restarted).', security: [] })
  live() {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Ready for traffic: the database answers, every migration is applied, not shutting down', description: 'For readiness probes and load balancers: 503 while the database is unreachable, a migration is pending, or the instance is stopping.', security: [] })
  @ApiOkResponse({ description: 'Ready' })
  @ApiServiceUnavailableResponse({ description: 'Not ready (the body says which check failed)' })
  async ready() {
    try {
      return await this.check();
    } catch (error) {
      const failed = Object.keys((error as { response?: { error?: object } }).response?.error ?? {});
      throw new GatewayError('service_unavailable', `Not ready: ${failed.join(', ') || 'a check failed'}`);
    }
  }

  private check() {
    return this.health.check([
      () => {
        const indicator = this.indicators.check('lifecycle');
        return this.lifecycle.stopping ? indicator.down({ reason: 'shutting down' }) : indicator.up();
      },
      () =>
        this.indicators
          .check('database')
          .attempt(async () => {
            await this.sql.query(PING);
          })
          .withTimeout(2000),
      async () => {
        const indicator = this.indicators.check('migrations');
        const pending = await this.dataSource.showMigrations().catch(() => true);
        return pending ? indicator.down({ reason: 'migrations pending' }) : indicator.up();
      },
    ]);
  }
}
