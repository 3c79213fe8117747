import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator.js';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { ListQueryDto } from '../common/list-query.dto.js';
import { AcquirersService } from './acquirers.service.js';
import { AcquirerListResponse, AcquirerResponse, CreateAcquirerDto, UpdateAcquirerDto } from './dto/acquirer.dto.js';
import { RoutingDto } from './dto/routing.dto.js';
import type { Routing } from './rules/routing.js';

@ApiTags('acquirers')
@ApiBearerAuth()
@Roles(['admin'])
@Controller('v1/admin/acquirers')
export class AcquirersController {
  constructor(private readonly acquirers: AcquirersService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add an http acquirer' })
  @ApiCreatedResponse({ type: AcquirerResponse })
  @ApiErrors(400, 401, 403)
  create(@Body() body: CreateAcquirerDto): Promise<AcquirerResponse> {
    return this.acquirers.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List acquirers, newest first (the simulator among them)' })
  @ApiOkResponse({ type: AcquirerListResponse })
  @ApiErrors(400, 401, 403)
  list(@Query() query: ListQueryDto): Promise<AcquirerListResponse> {
    return this.acquirers.list(query.limit, query.cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An acquirer, with its health as this instance sees it' })
  @ApiOkResponse({ type: AcquirerResponse })
  @ApiErrors(401, 403, 404)
  get(@Param('id', new IdParamPipe('acquirer', 'acquirer')) id: string): Promise<AcquirerResponse> {
    return this.acquirers.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an acquirer' })
  @ApiOkResponse({ type: AcquirerResponse })
  @ApiErrors(400, 401, 403, 404)
  update(@Param('id', new IdParamPipe('acquirer', 'acquirer')) id: string, @Body() body: UpdateAcquirerDto): Promise<AcquirerResponse> {
    return this.acquirers.update(id, body);
  }
}

@ApiTags('acquirers')
@ApiBearerAuth()
@Roles(['admin'])
@Controller('v1/admin/merchants/:id/routing')
export class RoutingController {
  constructor(private readonly acquirers: AcquirersService) {}

  @Get()
  @ApiOperation({ summary: "A merchant's routing (without one: everything to the simulator)" })
  @ApiOkResponse({ type: RoutingDto })
  @ApiErrors(401, 403, 404)
  get(@Param('id', new IdParamPipe('merchant', 'merchant')) id: string): Promise<Routing> {
    return this.acquirers.routing(id);
  }

  @Put()
  @ApiOperation({ summary: "Replace a merchant's routing; every acquirer it names must exist" })
  @ApiOkResponse({ type: RoutingDto })
  @ApiErrors(400, 401, 403, 404)
  set(@Param('id', new IdParamPipe('merchant', 'merchant')) id: string, @Body() body: RoutingDto): Promise<Routing> {
    return this.acquirers.setRouting(id, body);
  }
}
