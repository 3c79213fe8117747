import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import { listedMerchant, type Principal } from '../auth/principal.js';
import { PeopleOnly, Roles } from '../auth/roles.decorator.js';
import { ApiErrors, invalid } from '../common/api-errors.decorator.js';
import type { Page } from '../common/pagination.js';
import { TIMESTAMP_FORMAT } from '../common/timestamps.js';
import { AuditService } from './audit.service.js';
import { AuditEventListResponse, type AuditEventResponse, ListAuditEventsQuery } from './dto/audit-event.dto.js';

const FILTERS =
  'Filters: `actor_id`, `action`, `target_id`, `created_gte`/`created_lt`; newest first, keyset pages (pass `next_cursor` back as `cursor`). `before`/`after` hold the fields the action changed, never a secret.';

@ApiTags('audit')
@ApiErrors(401, 429, 500)
@Controller('v1')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('admin/audit-events')
  @Roles(['admin'])
  @ApiBearerAuth()
  @ApiCookieAuth('session')
  @ApiOperation({
    summary: 'The audit trail',
    description: `Every change a person or a key made to configuration or money (merchants, keys, users and roles, sign-ins, captures, voids, refunds, archives, webhook endpoints, acquirers and routing), with who, from where and under which request. ${FILTERS} Also \`merchant_id\`.`,
  })
  @ApiOkResponse({ type: AuditEventListResponse, description: 'A page of audit events' })
  @ApiErrors(invalid('created_gte', `created_gte must be ${TIMESTAMP_FORMAT}`), 403)
  listAll(@CurrentPrincipal() principal: Principal, @Query() query: ListAuditEventsQuery): Promise<Page<AuditEventResponse>> {
    return this.audit.list(listedMerchant(principal, query.merchant_id), query);
  }

  @Get('audit-events')
  @PeopleOnly(['merchant_admin'])
  @ApiCookieAuth('session')
  @ApiOperation({ summary: "Your merchant's audit trail", description: `For a merchant admin signed in: what was done to your merchant's payments, keys, users and webhook endpoints, by whom. ${FILTERS}` })
  @ApiOkResponse({ type: AuditEventListResponse, description: 'A page of audit events' })
  @ApiErrors(invalid('created_gte', `created_gte must be ${TIMESTAMP_FORMAT}`), 403)
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListAuditEventsQuery): Promise<Page<AuditEventResponse>> {
    return this.audit.list(listedMerchant(principal, query.merchant_id), query);
  }
}
