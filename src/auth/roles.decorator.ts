import { Reflector } from '@nestjs/core';
import type { Role } from './principal.js';

/** The roles a route accepts; without it, any valid key. */
export const Roles = Reflector.createDecorator<Role[]>();

/** A route outside `/v1` that needs no key (health). */
export const Public = Reflector.createDecorator<true>({ transform: () => true });
