import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { ListQueryDto } from '../../common/list-query.dto.js';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../webhook-delivery.entity.js';

export class ListWebhookDeliveriesQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: '`failed`: gave up, or the endpoint was deleted; `pending`: an attempt is due.' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: 'One endpoint (`we_…`) only.' })
  @IsOptional()
  @IsString()
  endpoint_id?: string;

  @ApiPropertyOptional({ description: 'Admin key only: one merchant (`mer_…`).' })
  @IsOptional()
  @IsString()
  merchant_id?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Admin key only: live or test deliveries; default both. A merchant key sees its own mode.' })
  @IsOptional()
  @IsString()
  livemode?: string;
}
