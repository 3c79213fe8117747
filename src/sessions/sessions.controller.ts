import { Body, Controller, Delete, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AuthenticatedRequest } from '../auth/principal.decorator.js';
import { Public } from '../auth/roles.decorator.js';
import { ApiErrors, invalid } from '../common/api-errors.decorator.js';
import { GatewayError } from '../common/errors.js';
import { AppConfig } from '../config/config.js';
import { IdempotencyExempt } from '../idempotency/idempotency-exempt.decorator.js';
import { ChangePasswordDto, SessionResponse, SignInDto } from './dto/session.dto.js';
import { clearedSessionCookie, sessionCookie } from './session-cookie.js';
import { SessionRoute } from './session-route.decorator.js';
import { SessionsService, SIGN_IN_WINDOW_MS, type SignedIn } from './sessions.service.js';

const INVALID_CREDENTIALS = { code: 'invalid_credentials', message: 'Email or password is incorrect' } as const;

/** The signed-in person behind a cookie-authenticated request: these routes are for people, not keys. */
function signedIn(request: AuthenticatedRequest): SignedIn {
  if (!request.signedIn) throw new GatewayError('session_invalid', 'Sign in first: this route needs a session cookie');
  return request.signedIn;
}

@ApiTags('sessions')
@ApiErrors(429, 500)
@Controller('v1/sessions')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly config: AppConfig,
  ) {}

  @Post()
  @Public()
  @IdempotencyExempt()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Sign in',
    description:
      'Email and password → a session: the `gateway_session` cookie (HttpOnly, SameSite=Strict, Secure in production) and a CSRF token to send as `X-CSRF-Token` with every request that changes something. An unknown email, a disabled user and a wrong password get the same answer. Failed sign-ins are limited per email and per client address.',
    security: [],
  })
  @ApiCreatedResponse({ type: SessionResponse, description: 'Signed in (and the cookie set)' })
  @ApiErrors(invalid('email', 'email must be a string'), INVALID_CREDENTIALS, 413)
  async signIn(@Body() body: SignInDto, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<SessionResponse> {
    const { token, ...signedInNow } = await this.sessions.signIn(body.email, body.password, request.ip ?? 'unknown').catch((error: unknown) => {
      // Failures are counted over a 15-minute window: that is the longest wait there can be.
      if (error instanceof GatewayError && error.code === 'rate_limited') response.setHeader('Retry-After', String(SIGN_IN_WINDOW_MS / 1000));
      throw error;
    });
    response.setHeader('Set-Cookie', sessionCookie(token, this.config.sessionMaxAgeMs, this.config.production));
    return SessionResponse.from(signedInNow, this.sessions.idleExpiry(signedInNow.session));
  }

  @Get('current')
  @SessionRoute()
  @ApiCookieAuth('session')
  @ApiOperation({ summary: 'The current session', description: 'Who is signed in, and the CSRF token again (a reloaded console recovers it here).' })
  @ApiOkResponse({ type: SessionResponse, description: 'The session' })
  @ApiErrors({ code: 'session_invalid', message: 'Sign in first: this route needs a session cookie' })
  current(@Req() request: AuthenticatedRequest): SessionResponse {
    const current = signedIn(request);
    return SessionResponse.from(current, this.sessions.idleExpiry(current.session));
  }

  @Delete('current')
  @SessionRoute()
  @HttpCode(204)
  @ApiCookieAuth('session')
  @ApiOperation({ summary: 'Sign out', description: 'Ends the session on every instance at once, and clears the cookie.' })
  @ApiNoContentResponse({ description: 'Signed out' })
  @ApiErrors({ code: 'session_invalid', message: 'Sign in first: this route needs a session cookie' }, { code: 'csrf_token_invalid', message: 'Send the session\'s CSRF token in X-CSRF-Token' })
  async signOut(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.sessions.signOut(signedIn(request));
    response.setHeader('Set-Cookie', clearedSessionCookie(this.config.production));
  }

  @Post('current/password')
  @SessionRoute()
  @IdempotencyExempt()
  @HttpCode(204)
  @ApiCookieAuth('session')
  @ApiOperation({ summary: 'Change your password', description: 'Ends your other sessions: whoever else knew the old password is signed out.' })
  @ApiNoContentResponse({ description: 'Changed' })
  @ApiErrors(
    { code: 'password_incorrect', message: 'current_password is not your password', param: 'current_password' },
    invalid('new_password', 'new_password must be at least 12 characters long'),
    { code: 'session_invalid', message: 'Sign in first: this route needs a session cookie' },
    { code: 'csrf_token_invalid', message: 'Send the session\'s CSRF token in X-CSRF-Token' },
    413,
  )
  async changePassword(@Req() request: AuthenticatedRequest, @Body() body: ChangePasswordDto): Promise<void> {
    await this.sessions.changePassword(signedIn(request), body.current_password, body.new_password);
  }
}
