import { Reflector } from '@nestjs/core';
import type { UserRole } from '../users/user.entity.js';
import type { Role } from './principal.js';

/** The roles a route accepts; without it, any valid key. */
export const Roles = Reflector.createDecorator<Role[]>();

/** A route for people signed in with one of these roles only, not for keys (a merchant's users, keys, audit trail). */
export const PeopleOnly = Reflector.createDecorator<UserRole[]>();

/** A route outside `/v1` that needs no key (health). */
export const Public = Reflector.createDecorator<true>({ transform: () => true });
