import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '../auth/roles.decorator.js';
import { GatewayError } from '../common/errors.js';
import { CONSOLE_CSP, consoleRoot, resolveConsoleFile } from './console-files.js';

/**
 * The web console, a single-page app that signs in through the public API: its files are
 * public, and it is no part of the API's document.
 */
@ApiExcludeController()
@Public()
@Controller('console')
export class ConsoleController {
  private readonly root = consoleRoot();

  @Get()
  index(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.serve(request, response);
  }

  @Get('*path')
  file(@Req() request: Request, @Res() response: Response): Promise<void> {
    return this.serve(request, response);
  }

  private async serve(request: Request, response: Response): Promise<void> {
    const relative = decodeURIComponent(request.path.replace(/^\/console\/?/, ''));
    const found = resolveConsoleFile(this.root, relative);
    if (found.kind === 'not-built') throw new GatewayError('route_not_found', 'The console is not built: run npm run build');
    if (found.kind === 'missing-asset') throw new GatewayError('route_not_found', `No such file: ${request.path}`);
    // Replaces the API's CSP (set for every response by securityHeaders) for the console's pages only.
    response.setHeader('Content-Security-Policy', CONSOLE_CSP);
    response.setHeader('Cache-Control', found.cacheControl);
    await new Promise<void>((done, fail) =>
      response.sendFile(found.path, { cacheControl: false, dotfiles: 'deny' }, (error) => (error ? fail(error) : done())),
    );
  }
}
