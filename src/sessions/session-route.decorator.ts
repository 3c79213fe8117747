import { Reflector } from '@nestjs/core';

/** A route about the caller's own session (read it, end it, change its password): any signed-in person may use it, support included. */
export const SessionRoute = Reflector.createDecorator<true>({ transform: () => true });
