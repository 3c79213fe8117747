import { Module } from '@nestjs/common';
import { ConsoleController } from './console.controller.js';

/** Serves the built web console (dist/console) at /console. */
@Module({ controllers: [ConsoleController] })
export class ConsoleModule {}
