import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles.decorator.js';
import { ApiErrors, invalid, missing } from '../common/api-errors.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { ListQueryDto } from '../common/list-query.dto.js';
import { AcquirersService } from './acquirers.service.js';
import { AcquirerListResponse, AcquirerResponse, CreateAcquirerDto, UpdateAcquirerDto } from './dto/acquirer.dto.js';
import { RoutingDto } from './dto/routing.dto.js';
import type { Routing } from './rules/routing.js';

@ApiTags('acquirers')
@ApiCookieAuth('session')
@ApiBearerAuth()
@Roles(['admin'])
@ApiErrors(401, 429, 500)
@Controller('v1/admin/acquirers')
export class AcquirersController {
  constructor(private readonly acquirers: AcquirersService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Add an http acquirer', description: 'An acquirer speaking the acquirer protocol over HTTPS (HTTP and private addresses only where allowed). Its API key is write-only: never returned or logged.' })
  @ApiCreatedResponse({ type: AcquirerResponse, description: 'The acquirer' })
  @ApiErrors(invalid('base_url', 'base_url must use https or http'), invalid('name', 'An acquirer with this name exists already'), 403, 409, 413, 422)
  create(@Body() body: CreateAcquirerDto): Promise<AcquirerResponse> {
    return this.acquirers.create(body);
  }

  @Get()
  @ApiOperation({ summary: 'List acquirers, newest first (the simulator among them)', description: 'Each with its health as this instance sees it: `up`, or `down` after consecutive failures until a probe succeeds.' })
  @ApiOkResponse({ type: AcquirerListResponse, description: 'The acquirers' })
  @ApiErrors(400, 403)
  list(@Query() query: ListQueryDto): Promise<AcquirerListResponse> {
    return this.acquirers.list(query.limit, query.cursor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'An acquirer, with its health as this instance sees it', description: 'The API key is never returned.' })
  @ApiOkResponse({ type: AcquirerResponse, description: 'The acquirer' })
  @ApiErrors(403, missing('acquirer'))
  get(@Param('id', new IdParamPipe('acquirer', 'acquirer')) id: string): Promise<AcquirerResponse> {
    return this.acquirers.get(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change an acquirer', description: 'Name, URL, API key, timeout or `enabled`. A disabled acquirer is left out of every route; captures, voids and refunds of its payments still go to it.' })
  @ApiOkResponse({ type: AcquirerResponse, description: 'The acquirer' })
  @ApiErrors(invalid('timeout_ms', 'timeout_ms must be at least 1 (got 0)'), 403, missing('acquirer'), 413)
  update(@Param('id', new IdParamPipe('acquirer', 'acquirer')) id: string, @Body() body: UpdateAcquirerDto): Promise<AcquirerResponse> {
    return this.acquirers.update(id, body);
  }
}

@ApiTags('acquirers')
@ApiCookieAuth('session')
@ApiBearerAuth()
@Roles(['admin'])
@ApiErrors(401, 429, 500)
@Controller('v1/admin/merchants/:id/routing')
export class RoutingController {
  constructor(private readonly acquirers: AcquirersService) {}

  @Get()
  @ApiOperation({ summary: "A merchant's routing (without one: everything to the simulator)", description: 'Rules (by currency, card brand and amount) are tried in order; the first that holds gives the acquirers to try, else `default`.' })
  @ApiOkResponse({ type: RoutingDto, description: "The merchant's routing" })
  @ApiErrors(403, missing('merchant'))
  get(@Param('id', new IdParamPipe('merchant', 'merchant')) id: string): Promise<Routing> {
    return this.acquirers.routing(id);
  }

  @Put()
  @ApiOperation({ summary: "Replace a merchant's routing; every acquirer it names must exist", description: 'Validated when saved (an unknown acquirer is a 400), never at payment time. Payments already made keep their acquirer.' })
  @ApiOkResponse({ type: RoutingDto, description: "The merchant's routing" })
  @ApiErrors(invalid('default[1]', 'No such acquirer: acq_01JDQ3R6X8M2K9V4T7B5N1C0AZ'), 403, missing('merchant'), 413)
  set(@Param('id', new IdParamPipe('merchant', 'merchant')) id: string, @Body() body: RoutingDto): Promise<Routing> {
    return this.acquirers.setRouting(id, body);
  }
}
